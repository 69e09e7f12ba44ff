"""Names of the codes that several layers print: one table each, in Chinese.

These are msgids: a page translates them where it shows them, while
documents and SMS, which are always Chinese, print them as they are.
"""

from app.messages import N_

FILING_TYPES = {"filing": N_("备案"), "approval": N_("核准"), "examination": N_("审批"),
                "rejected": N_("不予办理")}
