import { registerMessageAction } from "@mail/core/common/message_actions";
import { _t } from "@web/core/l10n/translation";

// "Classify reply" on a candidate's email in the chatter of an applicant: opens the same
// one-click classification as the reply touchpoint (interested, not now, ...).
registerMessageAction("hr_recruitment_passive_classify", {
    condition: ({ message, thread }) =>
        thread?.model === "hr.applicant" &&
        message.message_type === "email" &&
        !message.isSelfAuthored,
    icon: "fa fa-tags",
    name: _t("Classify reply"),
    onSelected: async ({ message, owner, thread }) => {
        const action = await owner.env.services.orm.call(
            "hr.applicant",
            "action_classify_message",
            [[thread.id], message.id]
        );
        await owner.env.services.action.doAction(action);
    },
    sequence: 25,
});
