"""The cascade: what a document implements and everything that implements it, down to tasks,
with progress rolled up (the average of the children)."""

from dataclasses import dataclass, field

from apps.documents.models import Document, DocumentLink

MAX_DEPTH = 8  # directives → plans → programmes → letters: real cascades are 3–5 levels deep


#: tasks listed under each document of the cascade; the rest are counted and linked to the list
TASKS_SHOWN = 10


@dataclass
class Node:
    document: Document
    children: list["Node"] = field(default_factory=list)
    tasks: list = field(default_factory=list)  # the first TASKS_SHOWN visible tasks
    own_task_count: int = 0  # all visible tasks of this document
    own_progress_sum: int = 0
    progress: float | None = None

    @property
    def more_tasks(self) -> int:
        return self.own_task_count - len(self.tasks)

    @property
    def task_count(self) -> int:
        return self.own_task_count + sum(child.task_count for child in self.children)


def _task_summaries(document_ids, user):
    """Count, progress sum and first tasks of each document (the tasks app supplies the selector)."""
    try:
        from apps.tasks.selectors import task_summary_for_documents
    except ImportError:  # the tasks app is optional for the cascade
        return {}
    return task_summary_for_documents(document_ids, user, shown=TASKS_SHOWN)


def _roll_up(node: Node) -> float | None:
    """A node's progress is the average of its children (each sub-document counts once, with its
    own rolled-up progress) and its own tasks (each counts once)."""
    children = [value for value in (_roll_up(child) for child in node.children) if value is not None]
    count = len(children) + node.own_task_count
    node.progress = round((sum(children) + node.own_progress_sum) / count, 1) if count else None
    return node.progress


def document_cascade(*, document: Document, user) -> tuple[list[Document], Node]:
    """(what ``document`` implements, upwards; the tree of what implements it, downwards).

    One query per level of the tree, one for all tasks; only documents the user may see appear."""
    visible = Document.objects.for_user(user)
    ancestors, seen = [], {document.pk}
    current = document
    for _level in range(MAX_DEPTH):
        link = (
            DocumentLink.objects.filter(source=current, kind=DocumentLink.Kind.IMPLEMENTS, target__in=visible)
            .select_related("target")
            .first()
        )
        if link is None or link.target_id in seen:
            break
        seen.add(link.target_id)
        ancestors.append(link.target)
        current = link.target
    ancestors.reverse()

    root = Node(document)
    nodes = {document.pk: root}
    frontier = [document.pk]
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        links = (
            DocumentLink.objects.filter(target_id__in=frontier, kind=DocumentLink.Kind.IMPLEMENTS, source__in=visible)
            .select_related("source")
            .order_by("source__issued_on", "source_id")
        )
        frontier = []
        for link in links:
            if link.source_id in nodes:
                continue  # a document reached twice (or a loop) is shown once
            node = Node(link.source)
            nodes[link.source_id] = node
            nodes[link.target_id].children.append(node)
            frontier.append(link.source_id)
    for document_id, summary in _task_summaries(list(nodes), user).items():
        node = nodes[document_id]
        node.tasks, node.own_task_count, node.own_progress_sum = summary.first, summary.count, summary.progress_sum
    _roll_up(root)
    return ancestors, root


@dataclass
class CascadeRow:
    node: Node
    #: how many enclosing branches this row ends (it is the last descendant of each of them)
    closes: int = 0

    @property
    def closing(self):
        from django.utils.safestring import mark_safe

        return mark_safe("</div></details>" * self.closes)


def flatten(root: Node) -> list[CascadeRow]:
    """The tree in document order, one row per node, so the page renders it in one loop: a
    template ``include`` per node was a visible share of a national cascade's time."""
    rows: list[CascadeRow] = []

    def walk(node: Node) -> CascadeRow:
        row = CascadeRow(node)
        rows.append(row)
        last = row
        for child in node.children:
            last = walk(child)
        if node.children:
            last.closes += 1  # the leaf that ends this branch closes it
        return last

    walk(root)
    return rows
