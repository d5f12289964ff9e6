import { registry } from "@web/core/registry";
import { openPassiveCandidates } from "./tour_helper";

function addStep({ name, channel, delay, template, body, fallbackField, previewFor, previewText }) {
    const steps = [
        {
            content: `Add the step "${name}"`,
            trigger: ".o_field_widget[name='step_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Step name",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: `edit ${name}`,
        },
    ];
    if (channel) {
        steps.push(
            {
                content: "Step channel",
                trigger: ".modal .o_field_widget[name='channel'] input",
                run: "click",
            },
            {
                content: `Channel: ${channel}`,
                trigger: `.o_select_menu_menu .o_select_menu_item:contains(${channel})`,
                run: "click",
            }
        );
    }
    if (delay) {
        steps.push({
            content: "Delay after the previous step",
            trigger: ".modal .o_field_widget[name='delay'] input",
            run: `edit ${delay}`,
        });
    }
    if (template) {
        // the step holds its template: no variant line to add
        steps.push(
            {
                content: "Email template of the step",
                trigger: ".modal .o_field_widget[name='mail_template_id'] input",
                run: `edit ${template}`,
            },
            {
                content: `Pick ${template}`,
                trigger: `.o-autocomplete--dropdown-item:contains(${template})`,
                run: "click",
            }
        );
    } else {
        steps.push({
            content: "The message is a multi-line text",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: `edit ${body}`,
        });
    }
    if (fallbackField) {
        steps.push(
            {
                content: "Insert a candidate field with the magic wand",
                trigger: ".modal .o_field_widget[name='body'] button.fa-magic",
                run: "click",
            },
            {
                content: `Pick ${fallbackField}`,
                trigger: `.o_model_field_selector_popover_item[data-name='${fallbackField}'] .o_model_field_selector_popover_item_name`,
                run: "click",
            },
            {
                content: "Its fallback when the candidate has no value",
                trigger: ".o_model_field_selector_default_value_input input",
                run: "edit your team",
            },
            {
                content: "Insert the placeholder",
                trigger: ".o_model_field_selector_popover button.btn-primary:contains(Insert)",
                run: "click",
            },
            {
                content: "Finish the sentence",
                trigger: ".modal .o_field_widget[name='body'] textarea",
                run: "fill ?",
            }
        );
    }
    if (previewFor) {
        steps.push(
            {
                content: "Preview the unsaved step for a candidate",
                trigger: ".modal .o_field_widget[name='preview_applicant_id'] input",
                run: `edit ${previewFor}`,
            },
            {
                content: `Pick ${previewFor}`,
                trigger: `.o-autocomplete--dropdown-item:contains(${previewFor})`,
                run: "click",
            },
            {
                content: "The preview shows the message as the candidate gets it",
                trigger: `.modal .o_drip_step_preview_body:contains(${previewText})`,
            }
        );
    }
    steps.push(
        {
            content: "Save the step",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The step is in the drip",
            trigger: `body:not(:has(.modal)) .o_field_widget[name='step_ids'] .o_data_row:contains(${name})`,
        }
    );
    return steps;
}

// A recruiter builds a three-step drip, enrolls two passive candidates from the list with the
// wizard, and opens the drip analytics.
registry.category("web_tour.tours").add("hr_recruitment_passive_drip_tour", {
    url: "/odoo/action-hr_recruitment_passive.hr_recruitment_drip_action",
    steps: () => [
        {
            content: "Create a drip sequence",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name the drip",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour nurture: data engineers",
        },
        ...addStep({
            name: "First touch",
            template: "Drip: first touch",
            previewFor: "Grace Tourist",
            previewText: "Hello Grace,",
        }),
        {
            content: "An email step shows open and click rates",
            trigger: ".o_field_widget[name='step_ids'] .o_data_row:contains(First touch) td[name='opened_rate']:not(:empty)",
        },
        ...addStep({
            name: "LinkedIn nudge",
            channel: "LinkedIn message",
            delay: "3",
            body: "Hi, did my email about the data platform reach you and",
            fallbackField: "current_company",
            previewFor: "Grace Tourist",
            previewText: "your team",
        }),
        {
            content: "A LinkedIn step has no open or click rate",
            trigger: ".o_field_widget[name='step_ids'] .o_data_row:contains(LinkedIn nudge) td[name='opened_rate']:empty",
        },
        ...addStep({
            name: "Call",
            channel: "Phone call",
            delay: "7",
            body: "Ask whether a coffee with the team would be useful",
        }),
        {
            content: "Save the drip",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The drip is saved",
            trigger: ".o_form_view .o_form_saved",
        },
        ...openPassiveCandidates(),
        {
            content: "Select Grace",
            trigger: ".o_list_view .o_data_row:contains(Grace Tourist) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Select Linus",
            trigger: ".o_list_view .o_data_row:contains(Linus Tourist) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Add them to a drip sequence",
            trigger: "button[name='action_open_drip_enroll_wizard']",
            run: "click",
        },
        {
            content: "The wizard lists both candidates",
            trigger:
                ".modal .o_field_widget[name='applicant_ids']:contains(Grace Tourist):contains(Linus Tourist)",
        },
        {
            content: "Choose the drip",
            trigger: ".modal .o_field_widget[name='drip_id'] input",
            run: "edit Tour nurture",
        },
        {
            content: "Pick the new drip",
            trigger: ".o-autocomplete--dropdown-item:contains(Tour nurture: data engineers)",
            run: "click",
        },
        {
            content: "Enroll",
            trigger: ".modal button[name='action_enroll']",
            run: "click",
        },
        {
            content: "Both are enrolled",
            trigger: ".modal .o_field_widget[name='enrolled_count']:contains(2)",
        },
        {
            content: "Close the wizard",
            trigger: ".modal .modal-footer button.btn-primary:contains(Close)",
            run: "click",
        },
        {
            content: "Open the Passive Candidates menu",
            trigger:
                "body:not(:has(.modal)) button[data-menu-xmlid='hr_recruitment_passive.menu_hr_recruitment_passive_root']",
            run: "click",
        },
        {
            content: "Open the drip analytics",
            trigger: "a[data-menu-xmlid='hr_recruitment_passive.menu_hr_recruitment_drip_analytics']",
            run: "click",
        },
        {
            content: "The analytics show the figures of the drip that already sent messages",
            trigger: ".o_pivot_view .o_pivot:contains(Tour analytics drip):contains(Replied)",
        },
    ],
});
