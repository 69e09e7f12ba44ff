"""The document model both writers render: a title, header texts and a list
of blocks. Texts are rendered plain text; each writer escapes them for its
own format."""

from dataclasses import dataclass, field


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    align: str = "left"  # left | center | right | justify
    size: str = "normal"  # normal | small | large
    bold: bool = False
    indent: bool = False  # first-line indent of two characters, as Chinese prose is set


@dataclass
class KeyValues:
    """A bordered two-column table of label → value."""

    rows: list  # [(label, value)]
    title: str | None = None


@dataclass
class Table:
    """A bordered table with a header row repeated on every page."""

    columns: list  # header texts
    rows: list  # [[cell texts]]
    title: str | None = None
    widths: list | None = None  # relative widths


@dataclass
class GridCell:
    text: str
    span: int = 1  # columns the cell covers
    label: bool = False  # a shaded label cell, as printed forms have
    align: str = "left"


@dataclass
class Grid:
    """The printed form's grid: rows of label and value cells over fixed
    columns, a cell spanning several. A long value grows its row and the row
    splits across pages, so that nothing falls out of the grid."""

    widths: list  # relative column widths
    rows: list  # [[GridCell]]
    title: str | None = None


@dataclass
class Signatures:
    """Boxes for signatures and seals, side by side."""

    labels: list


@dataclass
class QRCode:
    data: str
    caption: str | None = None


@dataclass
class Seal:
    """The issuing office's signature block: the office and the date on the
    right with the seal over them (the PDF writer draws the seal's picture and
    reports its box, so that the signature is placed over it), and on the left
    the QR code of the verification page with its caption."""

    office: str
    date: str = ""
    qr: str | None = None
    caption: str | None = None


@dataclass
class PageBreak:
    pass


@dataclass
class Document:
    id: str
    title: str
    blocks: list = field(default_factory=list)
    header_left: str = ""
    header_right: str = ""
    author: str = ""
    subject: str = ""
