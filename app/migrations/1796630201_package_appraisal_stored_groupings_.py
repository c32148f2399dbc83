"""package lines' economic appraisal, stored groupings, consortium interest

Revision ID: 1796630201
Revises: 1796630001
Create Date: 2026-12-07 08:56:41.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '1796630201'
down_revision: Union[str, Sequence[str], None] = '1796630001'
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('package_grouping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('cities', sa.Integer(), nullable=False),
    sa.Column('levels', sa.Integer(), nullable=False),
    sa.Column('kpi_year_from', sa.Integer(), nullable=True),
    sa.Column('kpi_year_to', sa.Integer(), nullable=True),
    sa.Column('kpi_values', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_package_grouping_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_grouping'))
    )
    op.create_index(op.f('ix_package_grouping_created_at'), 'package_grouping', ['created_at'], unique=False)
    with op.batch_alter_table('product_package_line') as batch:
        batch.add_column(sa.Column('benefit_per_unit', sa.Numeric(precision=20, scale=6), nullable=True))
        batch.add_column(sa.Column('co2_tonnes_per_unit', sa.Double(), nullable=True))
        batch.add_column(sa.Column('benefit_basis', sa.Text(), nullable=True))
        batch.add_column(sa.Column('enpv', sa.Numeric(precision=20, scale=2), nullable=True))
        batch.add_column(sa.Column('bc_ratio', sa.Double(), nullable=True))
        batch.add_column(sa.Column('pv_benefits', sa.Numeric(precision=20, scale=2), nullable=True))
        batch.add_column(sa.Column('pv_costs', sa.Numeric(precision=20, scale=2), nullable=True))
    # The '[]' default fills the existing rows; the application sets the list from now on.
    with op.batch_alter_table('package_interest') as batch:
        batch.add_column(sa.Column('consortium_partner_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table('package_interest') as batch:
        batch.alter_column('consortium_partner_ids', existing_type=sa.JSON(), server_default=None)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('package_interest') as batch:
        batch.drop_column('consortium_partner_ids')
    with op.batch_alter_table('product_package_line') as batch:
        for column in ('pv_costs', 'pv_benefits', 'bc_ratio', 'enpv', 'benefit_basis', 'co2_tonnes_per_unit', 'benefit_per_unit'):
            batch.drop_column(column)
    op.drop_index(op.f('ix_package_grouping_created_at'), table_name='package_grouping')
    op.drop_table('package_grouping')
