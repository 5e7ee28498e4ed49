"""What ``verify_history`` reports: each problem of a chain or an anchor, by kind (stable
names, for monitoring), and the report of a whole verification."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy


class Kind:
    """What is wrong with a chain, as ``verify_history`` names it (stable, for monitoring)."""

    ALTERED = "altered"
    REMOVED = "removed"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    UNSIGNED = "unsigned"
    DOWNGRADED = "downgraded"
    ANCHOR_MISMATCH = "anchor mismatch"

    LABELS = {
        ALTERED: gettext_lazy("altered"), REMOVED: gettext_lazy("removed"),
        REORDERED: gettext_lazy("reordered"), TRUNCATED: gettext_lazy("truncated"),
        UNSIGNED: gettext_lazy("unsigned"), DOWNGRADED: gettext_lazy("downgraded"),
        ANCHOR_MISMATCH: gettext_lazy("anchor mismatch"),
    }


@dataclass
class Problem:
    table: str
    row_id: int | None
    time: datetime | None
    kind: str
    detail: str

    def __str__(self):
        when = f"{self.time:%Y-%m-%d %H:%M:%S%z}" if self.time else "-"
        row = self.row_id if self.row_id is not None else "-"
        return f"[{Kind.LABELS[self.kind]}] {self.table} id={row} time={when}: {self.detail}"

    def as_dict(self):
        return {"table": self.table, "row_id": self.row_id, "kind": self.kind,
                "time": self.time.isoformat() if self.time else None, "detail": self.detail}


@dataclass
class Report:
    problems: list = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    anchors: int = 0
    anchors_skipped: int = 0  # anchors of other databases in the same directory

    @property
    def intact(self):
        return not self.problems
