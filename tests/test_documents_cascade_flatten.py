"""The cascade tree is rendered from a flat list: every branch must be closed exactly once, by the
last row inside it, so the nested <details> of the page match the tree."""

from lxml import html

from apps.documents.selectors import Node, flatten


class Doc:
    def __init__(self, name):
        self.name = name


def tree():
    #  a ─┬─ b ─┬─ d
    #     │     └─ e ── f
    #     └─ c
    f = Node(Doc("f"))
    e = Node(Doc("e"), children=[f])
    d = Node(Doc("d"))
    b = Node(Doc("b"), children=[d, e])
    c = Node(Doc("c"))
    return Node(Doc("a"), children=[b, c])


def render(rows):
    out = []
    for row in rows:
        out.append("<details><summary>{}</summary>".format(row.node.document.name))
        out.append('<div class="ms-3">' if row.node.children else "</details>" + str(row.closing))
    return "<main>" + "".join(out) + "</main>"


def nesting(el, depth=0, seen=None):
    seen = [] if seen is None else seen
    for det in el.xpath("./details|./div/details"):
        seen.append((depth, det.xpath("./summary")[0].text))
        nesting(det, depth + 1, seen)
    return seen


def test_rows_in_document_order_with_the_closes_of_each_branch():
    rows = flatten(tree())
    assert [(r.node.document.name, r.closes) for r in rows] == [
        ("a", 0),
        ("b", 0),
        ("d", 0),
        ("e", 0),
        ("f", 2),  # ends e and b
        ("c", 1),  # ends a
    ]


def test_rendered_rows_nest_like_the_tree():
    page = render(flatten(tree()))
    assert page.count("<details") == page.count("</details>") == 6
    assert nesting(html.fromstring(page)) == [(0, "a"), (1, "b"), (2, "d"), (2, "e"), (3, "f"), (1, "c")]


def test_a_single_document():
    rows = flatten(Node(Doc("x")))
    assert [(r.node.document.name, r.closes) for r in rows] == [("x", 0)]
