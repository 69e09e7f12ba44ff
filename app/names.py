"""Names of the codes that several layers print: one table each, in Chinese.

These are msgids: a page translates them where it shows them, while
documents and SMS, which are always Chinese, print them as they are.
"""

from app.messages import N_

FILING_TYPES = {"filing": N_("备案"), "approval": N_("核准"), "examination": N_("审批"),
                "rejected": N_("不予办理")}

# An SMS as its recipient would put it: the outbox state until the provider's
# receipt says whether it reached the phone.
SMS_STATE_LABELS = {"queued": N_("待发送"), "sending": N_("发送中"), "sent": N_("已发送"), "failed": N_("发送失败"),
                    "delivered": N_("短信已送达"), "undelivered": N_("短信未送达")}


def sms_state(message):
    return message.delivery.value if message.delivery else message.status.value
