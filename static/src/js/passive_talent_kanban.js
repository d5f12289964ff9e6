import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanController } from "@web/views/kanban/kanban_controller";

// Talents kanban: "+" in a column creates a card in that column only when the column's field
// can be set (owner, openness...); a column of a computed field (outreach status, read from
// the talent's history) offers no quick create, since the new card would land elsewhere.
export class PassiveTalentKanbanController extends KanbanController {
    isQuickCreateField(field) {
        return super.isQuickCreateField(field) && !field.readonly;
    }
}

registry.category("views").add("passive_talent_kanban", {
    ...kanbanView,
    Controller: PassiveTalentKanbanController,
});
