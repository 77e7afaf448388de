import { sql, type Kysely } from 'kysely'

/**
 * Issue 17: ACCT as the policy and the coroners ask. Case reviews say who attended by role and why the
 * person or healthcare did not; a change of case manager, supervision below the level's floor and each
 * closure item not met keep their reasons; constant supervision names its officer, with every handover; a
 * pre-release review records what was passed to community services, and a plan ended by a release or a
 * death says so. A prison's times saved looser than ACCT v6 are brought back within it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update care_plan_setting set
      immediate_action_minutes = least(immediate_action_minutes, 60),
      assessment_hours = least(assessment_hours, 24),
      first_review_hours = least(first_review_hours, 24);
    alter table care_plan_setting
      add constraint care_plan_setting_within_acct_v6
        check (immediate_action_minutes <= 60 and assessment_hours <= 24 and first_review_hours <= 24);

    alter table care_plan
      add column clock_started_at timestamptz,
      add column constant_officer_id uuid references staff_user (id),
      add column pre_release_reviewed_at timestamptz,
      add column ended_reason text check (ended_reason in ('release', 'death'));

    alter table care_plan_review drop constraint care_plan_review_kind_check;
    alter table care_plan_review
      add constraint care_plan_review_kind_check
        check (kind in ('first', 'scheduled', 'immediate', 'closure', 'post-closure', 'pre-release')),
      add column person_absent_reason text not null default '',
      add column healthcare_input text not null default '',
      add column healthcare_absent_reason text not null default '',
      add column case_manager_change_reason text not null default '',
      add column supervision_reason text not null default '',
      add column constant_officer_id uuid references staff_user (id),
      add column closure_checklist jsonb,
      add column person_view text not null default '',
      add column community_information text not null default '';

    create table care_plan_constant_watch (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      care_plan_id uuid not null references care_plan (id),
      officer_id uuid references staff_user (id),
      started_at timestamptz not null,
      recorded_by uuid not null references staff_user (id),
      recorded_at timestamptz not null
    );
    create index care_plan_constant_watch_plan on care_plan_constant_watch (care_plan_id, seq);
  `.execute(db)
}
