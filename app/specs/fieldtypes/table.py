from app.lang.service import blank
from app.specs.fieldtypes.base import FieldType, FieldValueError, registry


@registry.register
class Table(FieldType):
    """A repeating group: rows of sub-fields (columns), between min_rows and max_rows.

    The wizard builds one input per cell (name `{field}-{row}-{column}`);
    rows left entirely blank are dropped.
    """

    name = "table"
    widget = "table"

    def raw_from_form(self, formdata, field):
        """Posted cells (`{field}-{row}-{column}`) → [{column: raw}] in row order."""
        rows = {}
        prefix = f"{field.id}-"
        for key in formdata:
            if key.startswith(prefix):
                row, _, column = key[len(prefix):].partition("-")
                if row.isdigit():
                    rows.setdefault(int(row), {})[column] = formdata.get(key)
        return [rows[i] for i in sorted(rows)]

    def raw_from_json(self, value, field):
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise ValueError("expected a list of rows (objects)")
        return [{column.id: column.type.raw_from_json(row[column.id], column) if row.get(column.id) is not None
                 else None for column in field.columns} for row in value]

    def clean(self, raw, field):
        """`raw` is a list of {column: raw value}; returns a list of stored rows."""
        rows = []
        errors = {}
        for index, raw_row in enumerate(raw or []):
            row, row_errors = {}, {}
            for column in field.columns:
                try:
                    row[column.id] = column.type.clean(raw_row.get(column.id), column)
                except FieldValueError as exc:
                    row_errors[column.id] = exc
            if all(blank(v) for v in row.values()) and not row_errors:
                continue
            for column in field.columns:
                if column.required and blank(row.get(column.id)) and column.id not in row_errors:
                    row_errors[column.id] = FieldValueError("请填写%(label)s。", label=column.label)
            if row_errors:
                errors[index] = row_errors
            rows.append(row)
        if errors:
            raise TableErrors(errors)
        max_rows = field.constraints.get("max_rows", 200)
        if len(rows) > max_rows:
            raise FieldValueError("最多%(max)s行。", max=max_rows)
        return rows or None

    def typed(self, stored):
        return stored  # rows are converted column by column by the caller

    def display(self, stored, field, lang):
        return f"{len(stored or [])} rows" if lang.startswith("en") else f"{len(stored or [])} 行"


class TableErrors(FieldValueError):
    """Errors in cells: {row index: {column id: FieldValueError}}."""

    def __init__(self, cells):
        super().__init__("表格中有需要修改的内容。")
        self.cells = cells
