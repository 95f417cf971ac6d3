"""The cascade: what a document implements and everything that implements it, down to tasks,
with progress rolled up (the average of the children)."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from apps.documents.models import Document, DocumentLink

MAX_DEPTH = 8  # directives → plans → programmes → letters: real cascades are 3–5 levels deep


#: tasks listed under each document of the cascade; the rest are counted and linked to the list
TASKS_SHOWN = 10


@dataclass
class Node:
    document: Document | None
    children: list["Node"] = field(default_factory=list)
    tasks: list = field(default_factory=list)  # the first TASKS_SHOWN visible tasks
    own_task_count: int = 0  # all visible tasks of this document
    own_progress_sum: int = 0
    progress: float | None = None
    #: stands for the documents under a parent that the viewer may not see: their visible tasks and
    #: the visible documents reached through them, with no word of which documents they are
    veiled: bool = False

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


def _ancestors(document: Document, visible) -> list[Document | None]:
    """What ``document`` implements, upwards, one query per level; a document the user may not see
    is None (one None for a run of them), and nothing hidden is said above the last visible one."""
    chain: list[Document | None] = []
    seen = {document.pk}
    current_id = document.pk
    for _level in range(MAX_DEPTH):
        link = (
            DocumentLink.objects.filter(source_id=current_id, kind=DocumentLink.Kind.IMPLEMENTS)
            # A document implementing two others shows the one the user may see.
            .annotate(shown=Exists(visible.filter(pk=OuterRef("target_id"))))
            .select_related("target")
            .order_by("-shown", "target_id")
            .first()
        )
        if link is None or link.target_id in seen:
            break
        seen.add(link.target_id)
        if link.shown:
            chain.append(link.target)
        elif chain[-1:] != [None]:
            chain.append(None)
        current_id = link.target_id
    while chain and chain[-1] is None:
        chain.pop()
    chain.reverse()
    return chain


def document_cascade(*, document: Document, user) -> tuple[list[Document | None], Node]:
    """(what ``document`` implements, upwards; the tree of what implements it, downwards).

    The links are followed whoever keeps the documents — a department's plan implementing the
    province's plan, which implements the directive, belongs under the directive for the
    department's officers even when they may not see the province's plan — and only documents the
    user may see are shown: those reached through hidden ones hang under the nearest visible
    ancestor, in one veiled node that says only that documents the user may not see lie between.

    One query per level (link ids only), one for the visible documents, one for all tasks."""
    visible = Document.objects.for_user(user)
    ancestors = _ancestors(document, visible)

    parent_of: dict[int, int] = {}
    order: list[int] = []
    frontier = [document.pk]
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        links = (
            DocumentLink.objects.filter(target_id__in=frontier, kind=DocumentLink.Kind.IMPLEMENTS)
            .order_by("source__issued_on", "source_id")
            .values_list("source_id", "target_id")
        )
        frontier = []
        for source_id, target_id in links:
            if source_id == document.pk or source_id in parent_of:
                continue  # a document reached twice (or a loop) is shown once
            parent_of[source_id] = target_id
            order.append(source_id)
            frontier.append(source_id)
    shown = visible.filter(pk__in=order).in_bulk() if order else {}

    root = Node(document)
    nodes: dict[int, Node] = {document.pk: root}
    veils: dict[int, tuple[Node, Node]] = {}  # id() of a shown node → (that node, its veiled node)
    # where each document's content goes: its own node, or the veil of its nearest visible ancestor
    home: dict[int, Node] = {document.pk: root}
    for document_id in order:  # breadth first: a parent is placed before its children
        parent_id = parent_of[document_id]
        parent_home = home[parent_id]
        if document_id in shown:
            node = Node(shown[document_id])
            nodes[document_id] = node
            parent_home.children.append(node)
            home[document_id] = node
        else:
            if parent_home.veiled:
                home[document_id] = parent_home  # hidden under hidden: the same veil
            else:
                if id(parent_home) not in veils:
                    veils[id(parent_home)] = (parent_home, Node(None, veiled=True))
                home[document_id] = veils[id(parent_home)][1]

    for document_id, summary in _task_summaries([document.pk, *order], user).items():
        node = home[document_id]
        if node.veiled:
            node.tasks = (node.tasks + summary.first)[:TASKS_SHOWN]
            node.own_task_count += summary.count
            node.own_progress_sum += summary.progress_sum
        else:
            node.tasks, node.own_task_count, node.own_progress_sum = summary.first, summary.count, summary.progress_sum
    for owner, veil in veils.values():
        if veil.children or veil.own_task_count:
            owner.children.append(veil)  # after the owner's own visible children
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
