"""Workflow: case version (optimistic concurrency), deadlines, and operators' recent/favourite items.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("accepted_on", sa.String(10)))  # 受理日 (Asia/Shanghai)
        batch.add_column(sa.Column("promised_due", sa.String(10)))  # 承诺办结日
        batch.add_column(sa.Column("statutory_due", sa.String(10)))  # 法定办结日
        batch.create_index("ix_cases_promised_due", ["promised_due"])
    op.create_table(
        "operator_item_prefs",
        sa.Column("operator_id", sa.String(32), primary_key=True),
        sa.Column("item_code", sa.String(64), primary_key=True),
        sa.Column("use_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("favourite", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("operator_item_prefs")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_promised_due")
        for col in ("statutory_due", "promised_due", "accepted_on", "version"):
            batch.drop_column(col)
