import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hr_recruitment_passive_replies_to_classify_tour", {
    steps: () => [
        {
            content: "The unclassified reply is listed as to classify",
            trigger: ".o_data_row:contains('Sounds good, call me')",
        },
        {
            content: "One click: interested",
            trigger: ".o_data_row:contains('Sounds good, call me') button[name='action_classify_reply']:contains('Interested')",
            run: "click",
        },
        {
            content: "Interested: Odoo offers to add the candidate to a job",
            trigger: ".modal",
        },
        {
            content: "Not now: close the dialog",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "The reply left the list: nothing left to classify",
            trigger: ".o_action:not(:has(.o_data_row:contains('Sounds good, call me')))",
        },
    ],
});

registry.category("web_tour.tours").add("hr_recruitment_passive_conversions_tour", {
    steps: () => [
        {
            content: "Show the conversions as a list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The application made after outreach is a conversion, credited to the drip",
            trigger: ".o_data_row:contains('Ada Converted'):contains('Tour figures drip')",
        },
        {
            content: "The applications made before outreach, or without any, are not",
            trigger: ".o_list_renderer:not(:contains('Bob Early')):not(:contains('Cy Never'))",
        },
    ],
});
