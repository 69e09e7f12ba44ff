"""The admins' screens: users and SMS at a glance; spec drafts edited,
checked by the publish gate, previewed as an applicant, compared, published
and rolled back; templates and option lists; the audit log.
May import publishing, specs, rules, documents, cases, auth, sms and web."""
