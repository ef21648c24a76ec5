"""The project's addresses plus viewflow's stock task views of the declaration flow (its « queue » and « inbox »),
mounted for tests/workflow/test_boite_stock.py only: the project shows its own task list (/taches/)."""

from django.urls import path
from viewflow.workflow.flow.viewset import FlowAppViewset

from config.urls import urlpatterns as projet
from workflow.flows import DeclarationFlow

urlpatterns = [*projet, path("viewflow/", FlowAppViewset(DeclarationFlow).urls)]
