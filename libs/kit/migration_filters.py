"""What Alembic compares for one service: its own tables only (services may share a database), with the types.

Used by each service's env.py (autogenerate, `make migration`), by the adoption of databases made by create_all
(libs/kit/migrations.py) and by the tests that compare the migrations with tables.py.
"""


def include_name_for(service: str):
    prefix = f"{service}_"

    def include_name(name, type_, _parent_names):
        if type_ == "table":
            return name is not None and name.startswith(prefix)
        return True  # columns, indexes and constraints belong to a table already filtered
    return include_name


def include_object(object_, _name, type_, _reflected, _compare_to):
    # the inbox declares UNIQUE (event_id, handler) on its primary key's columns: PostgreSQL keeps only the primary
    # key, so autogenerate would offer to add the constraint on every run. It is the primary key: skip it.
    if type_ == "unique_constraint" and object_.table is not None:
        key = {column.name for column in object_.table.primary_key.columns}
        if key and {column.name for column in object_.columns} == key:
            return False
    return True


def comparison_options(service: str) -> dict:
    return {"include_name": include_name_for(service), "include_object": include_object, "compare_type": True}
