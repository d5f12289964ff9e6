import { registry } from "@web/core/registry";

// A recruiter opens a job, asks for its passive talents, sees why one matches, selects the
// talent and enrolls them in the job's drip in one click.
registry.category("web_tour.tours").add("hr_recruitment_passive_job_matches_tour", {
    url: "/odoo/recruitment",
    steps: () => [
        {
            content: "Show the job positions as a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the job",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(Tour Matching Engineer)",
            run: "click",
        },
        {
            content: "The job shows how many passive talents match it",
            trigger: ".o_form_view .oe_stat_button[name='action_find_passive_talents']:contains(Passive Matches)",
        },
        {
            content: "Find passive talents",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_find_passive_talents']",
            run: "click",
        },
        {
            content: "The talent is listed with the reason of the match",
            trigger: ".o_list_view .o_data_row:contains(Tour Matchy):contains(Python; open to offers)",
        },
        {
            content: "Select the talent",
            trigger: ".o_list_view .o_data_row:contains(Tour Matchy) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Enroll in drip",
            trigger: "button[name='action_enroll_in_drip']",
            run: "click",
        },
        {
            content: "The talent is enrolled",
            trigger: ".modal .o_field_widget[name='enrolled_count']:contains(1)",
        },
        {
            content: "Close the dialog",
            trigger: ".modal .modal-footer button.btn-primary:contains(Close)",
            run: "click",
        },
        {
            content: "Back on the list of matches",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:contains(Tour Matchy)",
        },
    ],
});
