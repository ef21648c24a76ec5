from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Processus d'instruction"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when this module is (Django's app registry).
        from journal.signals import transition_validee
        from workflow.receivers import sur_transition_validee

        transition_validee.connect(sur_transition_validee, dispatch_uid="workflow.processus_declaration")
        from workflow.flux_conformite import sur_transition_convention

        transition_validee.connect(sur_transition_convention, dispatch_uid="workflow.processus_conformite")
        from fonds.signals import bilans_prevus
        from workflow.flux_bilans import sur_bilans_prevus, sur_transition_bilan

        transition_validee.connect(sur_transition_bilan, dispatch_uid="workflow.processus_bilan")
        bilans_prevus.connect(sur_bilans_prevus, dispatch_uid="workflow.bilans_prevus")
