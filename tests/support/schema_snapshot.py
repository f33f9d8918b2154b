"""What a database holds for one service, as plain data: tables, columns (type, nullability, default), keys, indexes,
unique and CHECK constraints. Two databases with equal snapshots have the same schema; Alembic's compare_metadata
alone does not look at CHECK constraints or server defaults."""
from sqlalchemy import inspect


def _text(value):
    return None if value is None else " ".join(str(value).split())


def snapshot(engine, prefix: str) -> dict:
    inspector = inspect(engine)
    tables = {}
    for table in sorted(name for name in inspector.get_table_names() if name.startswith(prefix)):
        tables[table] = {
            "columns": [(c["name"], repr(c["type"]), c["nullable"], _text(c.get("default")))
                        for c in inspector.get_columns(table)],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted((tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"]), (fk.get("options") or {}).get("ondelete"))
                                   for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                              for ix in inspector.get_indexes(table)),
            "unique": sorted((str(uq["name"]), tuple(uq["column_names"]))
                             for uq in inspector.get_unique_constraints(table)),
            "checks": sorted((str(ck["name"]), _text(ck["sqltext"])) for ck in inspector.get_check_constraints(table)),
        }
    return tables
