"""The applicant's screens: my applications, one page per step with the live
panel, check answers, submit, the status page, materials (upload, defer) and
the applicant's own documents and packet.
May import cases, specs, rules, auth and web; owns no tables."""
