import { registry } from "@web/core/registry";

// From the candidate form, one click opens a prefilled LinkedIn touchpoint, one click saves it,
// and the Timeline tab shows it.
registry.category("web_tour.tours").add("hr_recruitment_passive_log_touchpoint_tour", {
    url: "/odoo/action-hr_recruitment_passive.hr_applicant_action_passive",
    steps: () => [
        {
            content: "Open the passive candidate",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(Linus Tourist)",
            run: "click",
        },
        {
            content: "Log a LinkedIn message",
            trigger: ".o_form_view button[name='action_log_touchpoint']:contains(LinkedIn message)",
            run: "click",
        },
        {
            content: "The dialog is prefilled with the LinkedIn channel",
            trigger: ".modal .o_field_widget[name='channel'] input:value(LinkedIn)",
        },
        {
            content: "Say what was sent",
            trigger: ".modal .o_field_widget[name='summary'] textarea",
            run: "edit Asked whether the platform team role could interest him",
        },
        {
            content: "Save the touchpoint",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The smart button counts the touchpoint",
            trigger: ".o_form_view button[name='action_view_touchpoints'] .o_stat_value:contains(1)",
        },
        {
            content: "Open the Timeline tab",
            trigger: ".o_notebook .nav-link:contains(Timeline)",
            run: "click",
        },
        {
            content: "The touchpoint is in the timeline",
            trigger:
                ".o_field_widget[name='touchpoint_ids'] .o_data_row:contains(LinkedIn):contains(Asked whether the platform team role)",
        },
    ],
});
