from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Workflow et journal des transitions"

    def ready(self) -> None:
        from workflow.receivers import sur_transition_validee
        from workflow.signals import transition_validee

        transition_validee.connect(sur_transition_validee, dispatch_uid="workflow.processus_declaration")
