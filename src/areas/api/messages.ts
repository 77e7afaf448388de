import { defineMessages } from '../../platform/i18n.ts'

export const apiMessages = defineMessages(
  {
    'api.reference.title': 'Waymark API reference',
    'api.reference.intro':
      'For the developers of the prison’s other systems. Every call needs a token from Waymark and says which prison it is about.',
    'api.reference.document': 'The same description as an OpenAPI 3.1 document (JSON)',
    'api.reference.tokenHeading': 'Getting a token',
    'api.reference.token':
      'An administrator registers your system and gives you its client id and secret once. Send them as HTTP Basic authentication to POST /oauth/token with grant_type=client_credentials. The token lasts an hour; ask for another when it expires.',
    'api.reference.externalToken':
      'Where this Waymark trusts the prison’s own sign-in service (HMPPS Auth), a token from that service is accepted instead, for a system an administrator has registered by its client id; its roles come from the token.',
    'api.reference.callingHeading': 'Calling the API',
    'api.reference.calling':
      'Send the token as “Authorization: Bearer …” and the prison’s code as the Caseload-Id header; it must be a prison your system was registered for. You may send the Username header of whoever asked at your end: it is kept in Waymark’s audit trail.',
    'api.reference.changesHeading': 'Making a change',
    'api.reference.changes':
      'A call that changes something (raising a concern, recording an observation or attendance) needs the Username header: the Waymark username of the member of staff who made the change. It is recorded in their name, and refused if their role could not make it on a page. A record that can change comes with an ETag: to change it, send that ETag back as If-Match.',
    'api.reference.errorsHeading': 'When a call is refused',
    'api.reference.errors':
      'Every refusal is JSON with status, userMessage and developerMessage. 401: no token, or one that has expired. 403: your system lacks the role or the prison, or the member of staff named may not make that change. 404: nothing with that id at the prison. 409: the record changed since you read it; read it again. 428: send If-Match. 429: too many calls this minute.',
    'api.reference.operations': 'Operations',
    'api.reference.parameters': 'Parameters',
    'api.reference.body': 'What to send',
    'api.reference.answer': 'What comes back',
    'api.reference.statuses': 'Answers',
    'api.reference.field': 'Field',
    'api.reference.type': 'Type',
    'api.reference.description': 'Description',
    'api.reference.example': 'Example',
    'api.reference.status': 'Status',
    'api.reference.englishOnly': 'The operations are described in English, as the OpenAPI document is.',
    'api.reference.none': 'No operations are published yet.',
  },
  {
    'api.reference.title': 'Cyfeirnod API Waymark',
    'api.reference.intro':
      'Ar gyfer datblygwyr systemau eraill y carchar. Mae angen tocyn gan Waymark ar bob galwad, ac mae pob galwad yn nodi pa garchar y mae’n ymwneud ag ef.',
    'api.reference.document': 'Yr un disgrifiad fel dogfen OpenAPI 3.1 (JSON)',
    'api.reference.tokenHeading': 'Cael tocyn',
    'api.reference.token':
      'Mae gweinyddwr yn ychwanegu eich system at Waymark ac yn rhoi ei dynodydd cleient a’i chyfrinach i chi unwaith. Anfonwch nhw fel dilysu Sylfaenol HTTP i POST /oauth/token gyda grant_type=client_credentials. Mae’r tocyn yn para awr; gofynnwch am un arall pan ddaw i ben.',
    'api.reference.externalToken':
      'Lle mae’r Waymark hwn yn ymddiried yng ngwasanaeth mewngofnodi’r carchar ei hun (HMPPS Auth), derbynnir tocyn gan y gwasanaeth hwnnw yn lle hynny, ar gyfer system y mae gweinyddwr wedi’i hychwanegu at Waymark yn ôl ei dynodydd cleient; daw ei rolau o’r tocyn.',
    'api.reference.callingHeading': 'Galw’r API',
    'api.reference.calling':
      'Anfonwch y tocyn fel “Authorization: Bearer …” a chod y carchar fel y pennawd Caseload-Id; rhaid iddo fod yn un o’r carchardai a roddwyd i’ch system. Gallwch anfon pennawd Username y sawl a ofynnodd ar eich ochr chi: caiff ei gadw yn llwybr archwilio Waymark.',
    'api.reference.changesHeading': 'Gwneud newid',
    'api.reference.changes':
      'Mae angen y pennawd Username ar alwad sy’n newid rhywbeth (codi pryder, cofnodi arsylwad neu bresenoldeb): enw defnyddiwr Waymark yr aelod o staff a wnaeth y newid. Caiff ei gofnodi yn ei enw, a’i wrthod os na allai ei rôl ei wneud ar dudalen. Daw ETag gyda chofnod a all newid: i’w newid, anfonwch yr ETag hwnnw yn ôl fel If-Match.',
    'api.reference.errorsHeading': 'Pan wrthodir galwad',
    'api.reference.errors':
      'Mae pob gwrthodiad yn JSON gyda status, userMessage a developerMessage. 401: dim tocyn, neu un sydd wedi dod i ben. 403: nid oes gan eich system y rôl na’r carchar, neu ni chaiff yr aelod o staff a enwir wneud y newid hwnnw. 404: dim byd â’r dynodydd hwnnw yn y carchar. 409: mae’r cofnod wedi newid ers i chi ei ddarllen; darllenwch ef eto. 428: anfonwch If-Match. 429: gormod o alwadau’r funud hon.',
    'api.reference.operations': 'Gweithrediadau',
    'api.reference.parameters': 'Paramedrau',
    'api.reference.body': 'Beth i’w anfon',
    'api.reference.answer': 'Beth sy’n dod yn ôl',
    'api.reference.statuses': 'Atebion',
    'api.reference.field': 'Maes',
    'api.reference.type': 'Math',
    'api.reference.description': 'Disgrifiad',
    'api.reference.example': 'Enghraifft',
    'api.reference.status': 'Statws',
    'api.reference.englishOnly': 'Disgrifir y gweithrediadau yn Saesneg, fel y mae’r ddogfen OpenAPI.',
    'api.reference.none': 'Nid oes unrhyw weithrediadau wedi’u cyhoeddi eto.',
  },
)
