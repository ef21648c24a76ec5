"""API of the instances layer (serializers and viewsets), one module per sub-domain:

- `instances`: the departmental instances, their members and presidency (R6), the accompagnateurs' registry (R10);
- `seances`: séances, their preparation, attendance and quorum, closing and minutes (R5);
- `deliberation`: each point of the agenda: conflicts of interest, votes, reasons and decision (R5);
- `journal`: the research-action journal of a collectif (R10);
- `suivi`: the declarations' viewset, extended with the documents of their file and their accompagnateur (R10);
- `administration`: the instance's settings and members, the registry, the staff invitations (issue 11).

The viewsets config/api_urls.py routes are re-exported here."""

from instances.api.deliberation import PointViewSet
from instances.api.instances import InstanceViewSet
from instances.api.journal import EntreeJournalViewSet
from instances.api.seances import SeanceViewSet
from instances.api.suivi import DeclarationViewSet

__all__ = ["DeclarationViewSet", "EntreeJournalViewSet", "InstanceViewSet", "PointViewSet", "SeanceViewSet"]
