import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** A date without a time: 'YYYY-MM-DD'. */
export type IsoDate = string

export type EstablishmentFunction = 'reception' | 'training' | 'resettlement' | 'womens' | 'young-offender' | 'open'

export type EstablishmentTable = {
  code: string
  name: string
  function: EstablishmentFunction
  is_in_wales: Generated<boolean>
}

export type WingTable = {
  id: Generated<number>
  establishment_code: string
  code: string
  name: string
}

export type CellTable = {
  id: Generated<number>
  wing_id: number
  landing: number
  label: string
  capacity: Generated<number>
}

export type PersonTable = {
  id: Generated<string>
  prison_number: string
  first_name: string
  last_name: string
  date_of_birth: IsoDate
  establishment_code: string
  cell_id: number | null
  cohort: Generated<string>
  reception_on: IsoDate
  sex: string | null
  ethnicity: string | null
  religion: string | null
  disability: string | null
  sexual_orientation: string | null
  created_at: Generated<Date>
}

export type StaffUserTable = {
  id: Generated<string>
  username: string
  display_name: string
  password_hash: string
  role: string
  is_active: Generated<boolean>
  created_at: Generated<Date>
}

export type StaffUserEstablishmentTable = {
  staff_user_id: string
  establishment_code: string
  /** Where a sign-in starts; a user with several establishments switches from there. */
  is_home: Generated<boolean>
}

export type WebSessionTable = {
  token_hash: string
  staff_user_id: string
  establishment_code: string
  created_at: Date
  last_seen_at: Date
  expires_at: Date
}

export type AuditEventTable = {
  id: Generated<number>
  occurred_at: Date
  actor_id: string | null
  actor_username: string
  action: string
  establishment_code: string | null
  person_id: string | null
  reason: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, never>
}

export type Database = {
  establishment: EstablishmentTable
  wing: WingTable
  cell: CellTable
  person: PersonTable
  staff_user: StaffUserTable
  staff_user_establishment: StaffUserEstablishmentTable
  web_session: WebSessionTable
  audit_event: AuditEventTable
}

export type PersonRow = Selectable<PersonTable>
export type NewPerson = Insertable<PersonTable>
