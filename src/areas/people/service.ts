import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { PeopleDeps } from './deps.ts'
import * as records from './records.ts'
import * as rollImport from './roll-import.ts'
import * as roll from './roll.ts'
import * as forSystems from './for-systems.ts'
import * as rollSync from './roll-sync.ts'

export type { PeopleDeps, PersonAlert, PersonAlertSource, PersonHeader } from './deps.ts'
export type { ImportOutcome } from './roll-import.ts'
export type { ReceivedPersonValues } from './roll-sync.ts'
export { ROLL_PAGE_SIZE, rollCsv, type RollQuery } from './roll.ts'

/** The people area's use cases (issue 12): a person's record, the roll, and a roll file imported. */
const peopleUseCases = {
  viewRoll: roll.viewRoll,
  findPersonOrThrow: records.findPersonOrThrow,
  findByNameAt: roll.findByNameAt,
  personHeader: records.personHeader,
  characteristicsAt: roll.characteristicsAt,
  listPeopleAt: roll.listPeopleAt,
  countOnRolls: roll.countOnRolls,
  movePersonTo: records.movePersonTo,
  setNeedsSpecialistAllocation: records.setNeedsSpecialistAllocation,
  viewPerson: records.viewPerson,
  exportRoll: roll.exportRoll,
  exportRollOf: roll.exportRollOf,
  importRoll: rollImport.importRoll,
  rollForSystems: forSystems.rollForSystems,
  personForSystems: forSystems.personForSystems,
  // Issue 15: the roll from NOMIS, written in the journey's transaction.
  placesOf: rollSync.placesOf,
  estateFor: rollSync.estateFor,
  receivePerson: rollSync.receivePerson,
  moveToCell: rollSync.moveToCell,
}

export type PeopleService = Bound<PeopleDeps, typeof peopleUseCases>

export function createPeopleService(deps: PeopleDeps): PeopleService {
  return bindUseCases(deps, peopleUseCases)
}
