"""action plans, annual reviews, issued PROFILEs; expert accounts; per-member committee accounts

Revision ID: 1796630001
Revises: 1796626493
Create Date: 2026-12-07 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '1796630001'
down_revision: Union[str, Sequence[str], None] = '1796626493'
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None

OLD_BINDING = (
    "(role = 'staff' AND city_id IS NULL AND partner_id IS NULL)"
    " OR (role = 'city' AND city_id IS NOT NULL AND partner_id IS NULL)"
    " OR (role = 'partner' AND partner_id IS NOT NULL AND city_id IS NULL)"
)
NEW_BINDING = (
    "(role = 'staff' AND city_id IS NULL AND partner_id IS NULL AND expert_id IS NULL)"
    " OR (role = 'city' AND city_id IS NOT NULL AND partner_id IS NULL"
    " AND expert_id IS NULL)"
    " OR (role = 'partner' AND partner_id IS NOT NULL AND city_id IS NULL"
    " AND expert_id IS NULL)"
    " OR (role = 'expert' AND expert_id IS NOT NULL AND city_id IS NULL"
    " AND partner_id IS NULL)"
)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('action_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sa.Integer(), nullable=True),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['user.id'], name=op.f('fk_action_plan_agreed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['bundle_id'], ['bundle.id'], name=op.f('fk_action_plan_bundle_id_bundle'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_action_plan_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_action_plan_engagement_id_engagement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plan')),
    sa.UniqueConstraint('engagement_id', name=op.f('uq_action_plan_engagement_id'))
    )
    op.create_table('annual_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_annual_review_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_annual_review_engagement_id_engagement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_review')),
    sa.UniqueConstraint('engagement_id', 'year', name='one_review_a_year')
    )
    op.create_index(op.f('ix_annual_review_engagement_id'), 'annual_review', ['engagement_id'], unique=False)
    op.create_table('profile_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Integer(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_profile_publication_engagement_id_engagement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_profile_publication_issued_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_publication'))
    )
    op.create_index(op.f('ix_profile_publication_engagement_id'), 'profile_publication', ['engagement_id'], unique=False)
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'done', 'dropped', name='milestone_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_milestone_plan_id_action_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_milestone_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    op.create_index(op.f('ix_milestone_plan_id'), 'milestone', ['plan_id'], unique=False)
    # A user may be an expert of the pool, or one member of a city's committee. The
    # role's CHECK (its allowed values) and the binding CHECK are made anew.
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('expert_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('committee_member_id', sa.Integer(), nullable=True))
        batch.create_unique_constraint(batch.f('uq_user_expert_id'), ['expert_id'])
        batch.create_unique_constraint(batch.f('uq_user_committee_member_id'), ['committee_member_id'])
        batch.create_foreign_key(batch.f('fk_user_expert_id_expert'), 'expert', ['expert_id'], ['id'], ondelete='CASCADE')
        batch.create_foreign_key(batch.f('fk_user_committee_member_id_committee_member'), 'committee_member', ['committee_member_id'], ['id'], ondelete='SET NULL')
        batch.drop_constraint(batch.f('ck_user_role_binding'), type_='check')
        batch.drop_constraint(batch.f('ck_user_role'), type_='check')
        batch.create_check_constraint('role_binding', sa.text(NEW_BINDING))
        batch.create_check_constraint('member_is_city_account', sa.text("committee_member_id IS NULL OR role = 'city'"))
        batch.create_check_constraint('role', sa.text("role IN ('staff', 'city', 'partner', 'expert')"))


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM \"user\" WHERE role = 'expert'")
    with op.batch_alter_table('user') as batch:
        batch.drop_constraint(batch.f('ck_user_role'), type_='check')
        batch.drop_constraint(batch.f('ck_user_member_is_city_account'), type_='check')
        batch.drop_constraint(batch.f('ck_user_role_binding'), type_='check')
        batch.drop_constraint(batch.f('fk_user_committee_member_id_committee_member'), type_='foreignkey')
        batch.drop_constraint(batch.f('fk_user_expert_id_expert'), type_='foreignkey')
        batch.drop_constraint(batch.f('uq_user_committee_member_id'), type_='unique')
        batch.drop_constraint(batch.f('uq_user_expert_id'), type_='unique')
        batch.drop_column('committee_member_id')
        batch.drop_column('expert_id')
        batch.create_check_constraint('role_binding', sa.text(OLD_BINDING))
        batch.create_check_constraint('role', sa.text("role IN ('staff', 'city', 'partner')"))
    op.drop_index(op.f('ix_milestone_plan_id'), table_name='milestone')
    op.drop_table('milestone')
    op.drop_index(op.f('ix_profile_publication_engagement_id'), table_name='profile_publication')
    op.drop_table('profile_publication')
    op.drop_index(op.f('ix_annual_review_engagement_id'), table_name='annual_review')
    op.drop_table('annual_review')
    op.drop_table('action_plan')
