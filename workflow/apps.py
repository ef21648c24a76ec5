from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Processus d'instruction"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when this module is (Django's app registry).
        from journal.signals import transition_validee
        from workflow.receivers import sur_transition_validee

        transition_validee.connect(sur_transition_validee, dispatch_uid="workflow.processus_declaration")
