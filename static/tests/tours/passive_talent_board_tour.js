import { registry } from "@web/core/registry";

// A recruiter on the talents board: the outreach status columns are read from the history, so
// they offer no "+" (a card made there would land in "New"); the owner columns do. On a talent,
// a message sent from the chatter appears in the Timeline tab at once.
registry.category("web_tour.tours").add("hr_recruitment_passive_talent_board_tour", {
    url: "/odoo/action-hr_recruitment_passive.hr_applicant_action_passive",
    steps: () => [
        {
            content: "Switch to the board",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Columns by outreach status, without quick create",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_quick_add)) .o_kanban_group:contains(Grace Tourist)",
        },
        {
            content: "Open Grace",
            trigger: ".o_kanban_record:contains(Grace Tourist)",
            run: "click",
        },
        {
            content: "Open the Timeline tab",
            trigger: ".o_notebook .nav-link:contains(Timeline)",
            run: "click",
        },
        {
            content: "The timeline has no message yet",
            trigger:
                ".o_field_widget[name='touchpoint_ids']:not(:has(.o_data_row:contains(Coffee next week)))",
        },
        {
            content: "Send a message from the chatter",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Write it",
            trigger: ".o-mail-Composer-input",
            run: "edit Coffee next week?",
        },
        {
            content: "Send",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The chatter shows the message",
            trigger: ".o-mail-Message:contains(Coffee next week)",
        },
        {
            content: "The Timeline shows it without reloading the page",
            trigger: ".o_field_widget[name='touchpoint_ids'] .o_data_row:contains(Coffee next week)",
        },
    ],
});
