import { registry } from "@web/core/registry";

// the candidate's email (the only message offering "Classify reply")
const REPLY = ".o-mail-Message";

registry.category("web_tour.tours").add("hr_recruitment_passive_classify_from_chatter", {
    steps: () => [
        {
            content: "Scroll to the chatter below the form",
            trigger: ".o-mail-Chatter",
            run() {
                document.querySelector(".o-mail-Chatter").scrollIntoView();
            },
        },
        {
            content: "Hover the candidate's reply to show its actions",
            trigger: REPLY,
            run: "hover",
        },
        {
            content: "Classify the reply",
            trigger: ".o-mail-Message [title='Classify reply']",
            run: "click",
        },
        {
            content: "'Not now' is suggested and June is read from the reply",
            trigger: ".modal .o_field_widget[name='snoozed_until']:contains('Jun 1')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
