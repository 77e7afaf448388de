import { sql, type Kysely } from 'kysely'

/**
 * Issue 12: other areas read who a person or a member of staff is through these views, never the tables.
 * The person's view is who they are and where (cell and wing joined once, here); it leaves out the protected
 * characteristics, which only the people area shows, to those allowed. The staff view leaves out the password
 * hash and the account's sign-in settings, which only sign-in and the staff area need. A view has no rows of
 * its own: PostgreSQL folds it into each query, and drops the joins a query does not use.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create view person_summary as
    select p.id, p.prison_number, p.first_name, p.last_name, p.date_of_birth, p.establishment_code,
      p.cell_id, c.label as cell_label, c.wing_id, w.name as wing_name, p.cohort, p.reception_on,
      p.needs_specialist_allocation
    from person p
    left join cell c on c.id = p.cell_id
    left join wing w on w.id = c.wing_id`.execute(db)
  await sql`
    create view staff_summary as
    select id, username, display_name, role, is_active, staff_status, organisation_id
    from staff_user`.execute(db)
}
