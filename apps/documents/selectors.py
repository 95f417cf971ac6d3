"""The cascade: what a document implements and everything that implements it, down to tasks,
with progress rolled up (the average of the children)."""

from dataclasses import dataclass, field

from apps.documents.models import Document, DocumentLink

MAX_DEPTH = 8  # directives → plans → programmes → letters: real cascades are 3–5 levels deep


@dataclass
class Node:
    document: Document
    children: list["Node"] = field(default_factory=list)
    tasks: list = field(default_factory=list)
    progress: float | None = None

    @property
    def task_count(self) -> int:
        return len(self.tasks) + sum(child.task_count for child in self.children)


def _tasks_by_document(document_ids, user):
    """The visible tasks of these documents, in one query (the tasks app supplies the selector)."""
    try:
        from apps.tasks.selectors import tasks_for_documents
    except ImportError:  # the tasks app is optional for the cascade
        return {}
    return tasks_for_documents(document_ids, user)


def _roll_up(node: Node) -> float | None:
    values = [_roll_up(child) for child in node.children]
    values += [float(task.progress) for task in node.tasks]
    values = [v for v in values if v is not None]
    node.progress = round(sum(values) / len(values), 1) if values else None
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
    for document_id, tasks in _tasks_by_document(list(nodes), user).items():
        nodes[document_id].tasks = list(tasks)
    _roll_up(root)
    return ancestors, root
