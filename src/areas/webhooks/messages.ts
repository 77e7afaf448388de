import { defineMessages } from '../../platform/i18n.ts'

export const webhooksMessages = defineMessages(
  {
    'webhooks.navigation': 'Events out',
    'webhooks.title': 'Events out',
    'webhooks.intro':
      'Waymark tells other systems when an ACCT alert or a care plan changes, a concern is raised, a dedicated officer is allocated or a new timetable is accepted, as HMPPS domain events. Each subscriber is an address Waymark sends the events of the prisons it was registered for, signed with the subscriber’s own secret. An event carries prison numbers, ids, codes and dates only: never a name, a note or what a concern says.',
    'webhooks.add': 'Add a subscriber',
    'webhooks.subscribers': 'Subscribers',
    'webhooks.none': 'There are no subscribers yet. Add one to send events to another system.',
    'webhooks.column.address': 'Address',
    'webhooks.column.events': 'Events',
    'webhooks.column.prisons': 'Prisons',
    'webhooks.column.status': 'Status',
    'webhooks.column.deliveries': 'Deliveries',
    'webhooks.status.enabled': 'Sending',
    'webhooks.status.disabled': 'Stopped',
    'webhooks.deliveriesSummary': 'Events at your prisons: {delivered} delivered, {pending} waiting, {failed} failed',
    'webhooks.signing.heading': 'How a subscriber checks a delivery',
    'webhooks.signing.body':
      'Each delivery is an HTTP POST of one event as JSON. Its Waymark-Signature header reads t=<time>,v1=<signature>: the time in whole seconds since 1 January 1970 (Unix time), and the HMAC-SHA256, in hexadecimal, of the time, a full stop and the body exactly as received, keyed by the subscriber’s secret.',
    'webhooks.signing.check':
      'Refuse a delivery whose signature does not match, or whose time is more than 5 minutes from your own. Compare signatures in constant time.',
    'webhooks.signing.rotation':
      'For a day after a secret is rotated the header has two v1 signatures, one with the new secret and one with the old: accept the delivery if either matches the secret you hold. Then only the new one signs.',
    'webhooks.signing.retries':
      'Answer with a 2xx status once the event is kept. Any other answer, or none within 10 seconds, and Waymark tries again later, waiting longer each time (from 30 seconds up to 6 hours), 15 times in all: about a day and a half.',
    'webhooks.signing.order':
      'The Waymark-Event-Id header names the event and is the same on every attempt, so drop an event you already have. Each person’s events arrive in the order they happened: a later one waits until the earlier one is delivered.',
    'webhooks.events.heading': 'The events',
    'webhooks.events.intro':
      'Each event names the person by their prison number (personReference, type NOMS). Opening a care plan creates the HA alert; closing it makes HA inactive and creates HA1 (post closure), or HA2 (closed) when the person left custody. Each later move (HA1 to HA2 at the post-closure review, or back to HA when the plan is reopened) makes one alert inactive and creates the other.',
    'webhooks.eventType.person.alert.created': 'An ACCT alert was created',
    'webhooks.eventType.person.alert.inactive': 'An ACCT alert was made inactive',
    'webhooks.eventType.waymark.care-plan.opened': 'A care plan (ACCT) was opened',
    'webhooks.eventType.waymark.care-plan.closed': 'A care plan (ACCT) was closed',
    'webhooks.eventType.waymark.concern.raised':
      'A concern was raised: its id and how urgent; what it says stays in Waymark',
    'webhooks.eventType.waymark.dedicated-officer.allocated': 'A dedicated officer was allocated: ids only',
    'webhooks.eventType.waymark.dedicated-officer.allocation-ended':
      'A dedicated officer’s allocation ended (taken off, replaced, changed on request, transfer or release): ids and the reason only',
    'webhooks.eventType.waymark.timetable.accepted':
      'A new timetable was accepted: one event for each person whose activity groups changed',

    'webhooks.new.title': 'Add a subscriber',
    'webhooks.new.url': 'Address to send events to',
    'webhooks.new.urlHint': 'An https address. An http address is allowed only on this machine (localhost).',
    'webhooks.new.eventTypes': 'Events to send',
    'webhooks.new.eventTypesHint': 'Select all that apply.',
    'webhooks.new.prisons': 'Prisons whose events to send',
    'webhooks.new.prisonsHint': 'The subscriber hears of these prisons only. You can choose the prisons you work in.',
    'webhooks.new.save': 'Add subscriber',
    'webhooks.cancel': 'Cancel',
    'webhooks.error.url.missing': 'Enter the address to send events to',
    'webhooks.error.url.invalid': 'Enter an address like https://example.org/events',
    'webhooks.error.url.https': 'Enter an https address (http only on this machine, localhost)',
    'webhooks.error.url.credentials': 'Enter an address without a user name or password in it',
    'webhooks.error.url.tooLong': 'Enter an address of 2,000 characters or fewer',
    'webhooks.error.eventTypes': 'Select at least one event to send',
    'webhooks.error.prisons': 'Select at least one prison you work in',

    'webhooks.error.prisonsNotYours': 'Select only prisons you work in',
    'webhooks.error.eventTypesNotYours':
      'You cannot change the events of a subscriber that hears of a prison you do not work in',

    'webhooks.change.title': 'Change the events and prisons',
    'webhooks.change.link': 'Change',
    'webhooks.change.linkEvents': 'events',
    'webhooks.change.linkPrisons': 'prisons',
    'webhooks.change.intro':
      'The address and the signing secret stay as they are, and so does the delivery log. To send events to another address, add a subscriber.',
    'webhooks.change.eventsNotYours':
      'Only an administrator who works in every prison the subscriber hears of can change its events, so they stay as they are.',
    'webhooks.change.keptPrisons':
      'It also hears of prisons you do not work in, which only an administrator who works there can take away: {prisons}.',
    'webhooks.change.fromNow':
      'Events that happen from now on are sent by the change. Events already waiting to be sent go as they are.',
    'webhooks.change.save': 'Save changes',

    'webhooks.secret.title': 'The subscriber’s signing secret',
    'webhooks.secret.intro':
      'Give this secret to whoever runs the receiving system, by a safe route. They check each delivery’s signature with it.',
    'webhooks.secret.label': 'Signing secret',
    'webhooks.secret.shownOnce':
      'This is the only time Waymark shows the secret. If it is lost, rotate it on the subscriber’s page.',
    'webhooks.secret.gone':
      'The secret was shown once, when the subscriber was added or its secret rotated, and cannot be shown again. If it is lost, rotate it on the subscriber’s page.',
    'webhooks.secret.rotated':
      'Until {time}, each delivery is signed with this secret and with the old one, so the receiving system can change over without missing an event. After that, only with this one.',
    'webhooks.secret.continue': 'Go to the subscriber',

    'webhooks.subscription.title': 'Subscriber',
    'webhooks.subscription.added': 'Added',
    'webhooks.subscription.disable': 'Stop sending',
    'webhooks.subscription.notAllYours':
      'It also hears of prisons you do not work in: {prisons}. Only an administrator who works in every prison it hears of can stop it or rotate its secret. You see, and can send again, the deliveries of events at your prisons.',
    'webhooks.subscription.disableHint':
      'While a subscriber is stopped its events wait, and they are sent in order when it starts again.',
    'webhooks.subscription.enable': 'Start sending',
    'webhooks.subscription.enableHint': 'The events that waited while it was stopped are sent first, in order.',
    'webhooks.done.enabled': 'The subscriber is sending again.',
    'webhooks.done.disabled': 'The subscriber is stopped. Its events wait until it starts again.',
    'webhooks.done.replayed': 'The event will be sent again.',
    'webhooks.done.changed':
      'The subscriber’s events and prisons are changed. Events from now on are sent by the change.',
    'webhooks.done.unchanged': 'Nothing needed to change.',

    'webhooks.rotate.heading': 'Signing secret',
    'webhooks.rotate.hint':
      'Rotate the secret if it may be known to someone it should not be, or was lost. The new one is shown once; for a day deliveries are signed with both, then with the new one only.',
    'webhooks.rotate.button': 'Rotate secret',
    'webhooks.rotate.bothUntil': 'Deliveries are signed with both the new secret and the old one until {time}.',

    'webhooks.log.heading': 'Delivery log',
    'webhooks.log.intro':
      'The latest 100 deliveries of events at your prisons, newest first: what was tried and how it went. The event itself goes to the subscriber only. An event that failed holds that person’s later events until it is sent again; you can also send again one the subscriber lost.',
    'webhooks.log.caption': 'Delivery log',
    'webhooks.log.none': 'No event at your prisons has been sent to this subscriber yet.',
    'webhooks.log.failedHeading': 'Failed deliveries',
    'webhooks.log.failedIntro':
      'The deliveries of events at your prisons that failed, the oldest first, 100 to a page: each holds that person’s later events until it is sent again.',
    'webhooks.log.failedPagination': 'Pages of failed deliveries',
    'webhooks.log.noneFailed': 'No delivery of an event at your prisons has failed.',
    'webhooks.log.showAll': 'Show the latest 100 deliveries',
    'webhooks.log.showFailed.one': 'Show the failed delivery',
    'webhooks.log.showFailed.other': 'Show only the {count} failed deliveries',
    'webhooks.log.heldByAnotherPrison':
      'Held by an earlier event for this person at another prison, until that one is sent: an administrator of that prison can send it again',
    'webhooks.log.prison': 'Prison',
    'webhooks.log.noPrison': 'Not recorded',
    'webhooks.log.event': 'Event',
    'webhooks.log.action': 'Action',
    'webhooks.log.state': 'State',
    'webhooks.log.attempts': 'Attempts',
    'webhooks.log.lastAttempt': 'Last attempt',
    'webhooks.log.answer': 'Last answer',
    'webhooks.log.nextAttempt': 'Next try {time}',
    'webhooks.log.status': 'HTTP {status}',
    'webhooks.log.noAnswerYet': 'None yet',
    'webhooks.log.never': 'Not yet',
    'webhooks.state.pending': 'Waiting',
    'webhooks.state.delivered': 'Delivered',
    'webhooks.state.failed': 'Failed',
    'webhooks.replay': 'Send again',
  },
  {
    'webhooks.navigation': 'Digwyddiadau allan',
    'webhooks.title': 'Digwyddiadau allan',
    'webhooks.intro':
      'Mae Waymark yn dweud wrth systemau eraill pan fydd rhybudd ACCT neu gynllun gofal yn newid, pan godir pryder, pan ddyrennir swyddog dynodedig neu pan dderbynnir amserlen newydd, fel digwyddiadau parth HMPPS. Mae pob tanysgrifiwr yn gyfeiriad y mae Waymark yn anfon ato ddigwyddiadau’r carchardai y’i cofrestrwyd ar eu cyfer, wedi’u llofnodi â chyfrinach y tanysgrifiwr ei hun. Dim ond rhifau carchar, dynodwyr, codau a dyddiadau sydd mewn digwyddiad: byth enw, nodyn na’r hyn a ddywed pryder.',
    'webhooks.add': 'Ychwanegu tanysgrifiwr',
    'webhooks.subscribers': 'Tanysgrifwyr',
    'webhooks.none': 'Does dim tanysgrifwyr eto. Ychwanegwch un i anfon digwyddiadau i system arall.',
    'webhooks.column.address': 'Cyfeiriad',
    'webhooks.column.events': 'Digwyddiadau',
    'webhooks.column.prisons': 'Carchardai',
    'webhooks.column.status': 'Statws',
    'webhooks.column.deliveries': 'Anfoniadau',
    'webhooks.status.enabled': 'Yn anfon',
    'webhooks.status.disabled': 'Wedi’i atal',
    'webhooks.deliveriesSummary':
      'Digwyddiadau yn eich carchardai chi: {delivered} wedi’u danfon, {pending} yn aros, {failed} wedi methu',
    'webhooks.signing.heading': 'Sut mae tanysgrifiwr yn gwirio anfoniad',
    'webhooks.signing.body':
      'Mae pob anfoniad yn HTTP POST o un digwyddiad fel JSON. Mae ei bennyn Waymark-Signature yn darllen t=<amser>,v1=<llofnod>: yr amser mewn eiliadau cyfan ers 1 Ionawr 1970 (amser Unix), a’r HMAC-SHA256, mewn hecsadegol, o’r amser, atalnod llawn a’r corff yn union fel y’i derbyniwyd, wedi’i allweddu â chyfrinach y tanysgrifiwr.',
    'webhooks.signing.check':
      'Gwrthodwch anfoniad os nad yw ei lofnod yn cyfateb, neu os yw ei amser fwy na 5 munud o’ch amser chi. Cymharwch lofnodion mewn amser cyson.',
    'webhooks.signing.rotation':
      'Am ddiwrnod ar ôl cylchdroi cyfrinach mae dau lofnod v1 yn y pennyn, un â’r gyfrinach newydd ac un â’r hen: derbyniwch yr anfoniad os yw’r naill neu’r llall yn cyfateb i’r gyfrinach sydd gennych. Wedyn dim ond yr un newydd sy’n llofnodi.',
    'webhooks.signing.retries':
      'Atebwch â statws 2xx unwaith y caiff y digwyddiad ei gadw. Os daw unrhyw ateb arall, neu ddim ateb o fewn 10 eiliad, mae Waymark yn rhoi cynnig arall arni yn nes ymlaen, gan aros yn hirach bob tro (o 30 eiliad hyd at 6 awr), 15 gwaith i gyd: tua diwrnod a hanner.',
    'webhooks.signing.order':
      'Mae’r pennyn Waymark-Event-Id yn enwi’r digwyddiad ac mae’r un fath ar bob cynnig, felly anwybyddwch ddigwyddiad sydd gennych eisoes. Mae digwyddiadau pob person yn cyrraedd yn y drefn y digwyddon nhw: mae un diweddarach yn aros nes bod yr un cynharach wedi’i ddanfon.',
    'webhooks.events.heading': 'Y digwyddiadau',
    'webhooks.events.intro':
      'Mae pob digwyddiad yn enwi’r person wrth ei rif carchar (personReference, math NOMS). Mae agor cynllun gofal yn creu’r rhybudd HA; mae ei gau yn gwneud HA yn anweithredol ac yn creu HA1 (ar ôl cau), neu HA2 (wedi cau) pan fydd y person wedi gadael y ddalfa. Mae pob symudiad wedyn (HA1 i HA2 yn yr adolygiad ar ôl cau, neu’n ôl i HA pan gaiff y cynllun ei ailagor) yn gwneud un rhybudd yn anweithredol ac yn creu’r llall.',
    'webhooks.eventType.person.alert.created': 'Cafodd rhybudd ACCT ei greu',
    'webhooks.eventType.person.alert.inactive': 'Cafodd rhybudd ACCT ei wneud yn anweithredol',
    'webhooks.eventType.waymark.care-plan.opened': 'Cafodd cynllun gofal (ACCT) ei agor',
    'webhooks.eventType.waymark.care-plan.closed': 'Cafodd cynllun gofal (ACCT) ei gau',
    'webhooks.eventType.waymark.concern.raised':
      'Codwyd pryder: ei ddynodydd a pha mor frys ydyw; mae’r hyn y mae’n ei ddweud yn aros yn Waymark',
    'webhooks.eventType.waymark.dedicated-officer.allocated': 'Dyrannwyd swyddog dynodedig: dynodwyr yn unig',
    'webhooks.eventType.waymark.dedicated-officer.allocation-ended':
      'Daeth dyraniad swyddog dynodedig i ben (ei dynnu, ei ddisodli, ei newid ar gais, trosglwyddo neu ryddhau): dynodwyr a’r rheswm yn unig',
    'webhooks.eventType.waymark.timetable.accepted':
      'Derbyniwyd amserlen newydd: un digwyddiad i bob person y newidiodd ei grwpiau gweithgaredd',

    'webhooks.new.title': 'Ychwanegu tanysgrifiwr',
    'webhooks.new.url': 'Cyfeiriad i anfon digwyddiadau ato',
    'webhooks.new.urlHint': 'Cyfeiriad https. Dim ond ar y peiriant hwn (localhost) y caniateir cyfeiriad http.',
    'webhooks.new.eventTypes': 'Digwyddiadau i’w hanfon',
    'webhooks.new.eventTypesHint': 'Dewiswch bob un sy’n berthnasol.',
    'webhooks.new.prisons': 'Carchardai i anfon eu digwyddiadau',
    'webhooks.new.prisonsHint':
      'Dim ond am y carchardai hyn y bydd y tanysgrifiwr yn clywed. Gallwch ddewis y carchardai rydych chi’n gweithio ynddynt.',
    'webhooks.new.save': 'Ychwanegu tanysgrifiwr',
    'webhooks.cancel': 'Canslo',
    'webhooks.error.url.missing': 'Rhowch y cyfeiriad i anfon digwyddiadau ato',
    'webhooks.error.url.invalid': 'Rhowch gyfeiriad fel https://example.org/events',
    'webhooks.error.url.https': 'Rhowch gyfeiriad https (http dim ond ar y peiriant hwn, localhost)',
    'webhooks.error.url.credentials': 'Rhowch gyfeiriad heb enw defnyddiwr na chyfrinair ynddo',
    'webhooks.error.url.tooLong': 'Rhowch gyfeiriad o 2,000 nod neu lai',
    'webhooks.error.eventTypes': 'Dewiswch o leiaf un digwyddiad i’w anfon',
    'webhooks.error.prisons': 'Dewiswch o leiaf un carchar rydych chi’n gweithio ynddo',

    'webhooks.error.prisonsNotYours': 'Dewiswch garchardai rydych chi’n gweithio ynddynt yn unig',
    'webhooks.error.eventTypesNotYours':
      'Ni allwch newid digwyddiadau tanysgrifiwr sy’n clywed am garchar nad ydych chi’n gweithio ynddo',

    'webhooks.change.title': 'Newid y digwyddiadau a’r carchardai',
    'webhooks.change.link': 'Newid',
    'webhooks.change.linkEvents': 'digwyddiadau',
    'webhooks.change.linkPrisons': 'carchardai',
    'webhooks.change.intro':
      'Mae’r cyfeiriad a’r gyfrinach llofnodi yn aros fel y maen nhw, a’r cofnod anfon hefyd. I anfon digwyddiadau i gyfeiriad arall, ychwanegwch danysgrifiwr.',
    'webhooks.change.eventsNotYours':
      'Dim ond gweinyddwr sy’n gweithio ym mhob carchar y mae’r tanysgrifiwr yn clywed amdano all newid ei ddigwyddiadau, felly maen nhw’n aros fel y maen nhw.',
    'webhooks.change.keptPrisons':
      'Mae hefyd yn clywed am garchardai nad ydych chi’n gweithio ynddynt, a dim ond gweinyddwr sy’n gweithio yno all eu tynnu i ffwrdd: {prisons}.',
    'webhooks.change.fromNow':
      'Caiff digwyddiadau o hyn ymlaen eu hanfon yn ôl y newid. Mae digwyddiadau sydd eisoes yn aros i’w hanfon yn mynd fel y maen nhw.',
    'webhooks.change.save': 'Cadw’r newidiadau',

    'webhooks.secret.title': 'Cyfrinach llofnodi’r tanysgrifiwr',
    'webhooks.secret.intro':
      'Rhowch y gyfrinach hon i bwy bynnag sy’n rhedeg y system sy’n derbyn, mewn ffordd ddiogel. Maen nhw’n gwirio llofnod pob anfoniad â hi.',
    'webhooks.secret.label': 'Cyfrinach llofnodi',
    'webhooks.secret.shownOnce':
      'Dyma’r unig dro y mae Waymark yn dangos y gyfrinach. Os caiff ei cholli, cylchdrowch hi ar dudalen y tanysgrifiwr.',
    'webhooks.secret.gone':
      'Dangoswyd y gyfrinach unwaith, pan ychwanegwyd y tanysgrifiwr neu pan gylchdrowyd ei gyfrinach, ac ni ellir ei dangos eto. Os caiff ei cholli, cylchdrowch hi ar dudalen y tanysgrifiwr.',
    'webhooks.secret.rotated':
      'Tan {time}, caiff pob anfoniad ei lofnodi â’r gyfrinach hon ac â’r hen un, fel y gall y system sy’n derbyn newid drosodd heb golli digwyddiad. Wedi hynny, â hon yn unig.',
    'webhooks.secret.continue': 'Mynd i’r tanysgrifiwr',

    'webhooks.subscription.title': 'Tanysgrifiwr',
    'webhooks.subscription.added': 'Ychwanegwyd',
    'webhooks.subscription.disable': 'Atal anfon',
    'webhooks.subscription.notAllYours':
      'Mae hefyd yn clywed am garchardai nad ydych chi’n gweithio ynddynt: {prisons}. Dim ond gweinyddwr sy’n gweithio ym mhob carchar y mae’r tanysgrifiwr yn clywed amdano all ei atal neu gylchdroi ei gyfrinach. Gallwch weld, ac anfon eto, anfoniadau digwyddiadau yn eich carchardai chi.',
    'webhooks.subscription.disableHint':
      'Tra bo tanysgrifiwr wedi’i atal mae ei ddigwyddiadau’n aros, ac maen nhw’n cael eu hanfon yn eu trefn pan fydd yn ailddechrau.',
    'webhooks.subscription.enable': 'Dechrau anfon',
    'webhooks.subscription.enableHint':
      'Mae’r digwyddiadau a arhosodd tra oedd wedi’i atal yn cael eu hanfon gyntaf, yn eu trefn.',
    'webhooks.done.enabled': 'Mae’r tanysgrifiwr yn anfon eto.',
    'webhooks.done.disabled': 'Mae’r tanysgrifiwr wedi’i atal. Mae ei ddigwyddiadau’n aros nes iddo ailddechrau.',
    'webhooks.done.replayed': 'Bydd y digwyddiad yn cael ei anfon eto.',
    'webhooks.done.changed':
      'Mae digwyddiadau a charchardai’r tanysgrifiwr wedi newid. Caiff digwyddiadau o hyn ymlaen eu hanfon yn ôl y newid.',
    'webhooks.done.unchanged': 'Nid oedd angen newid dim.',

    'webhooks.rotate.heading': 'Cyfrinach llofnodi',
    'webhooks.rotate.hint':
      'Cylchdrowch y gyfrinach os gallai rhywun na ddylai ei gwybod, neu os cafodd ei cholli. Dangosir yr un newydd unwaith; am ddiwrnod caiff anfoniadau eu llofnodi â’r ddwy, yna â’r un newydd yn unig.',
    'webhooks.rotate.button': 'Cylchdroi’r gyfrinach',
    'webhooks.rotate.bothUntil': 'Caiff anfoniadau eu llofnodi â’r gyfrinach newydd a’r hen un tan {time}.',

    'webhooks.log.heading': 'Cofnod anfon',
    'webhooks.log.intro':
      'Y 100 anfoniad diweddaraf o ddigwyddiadau yn eich carchardai chi, y mwyaf newydd yn gyntaf: beth a gynigiwyd a sut yr aeth. Dim ond i’r tanysgrifiwr yr aiff y digwyddiad ei hun. Mae digwyddiad a fethodd yn dal digwyddiadau diweddarach y person hwnnw yn ôl nes iddo gael ei anfon eto; gallwch hefyd anfon eto un a gollodd y tanysgrifiwr.',
    'webhooks.log.caption': 'Cofnod anfon',
    'webhooks.log.none': 'Nid oes unrhyw ddigwyddiad yn eich carchardai chi wedi’i anfon at y tanysgrifiwr hwn eto.',
    'webhooks.log.failedHeading': 'Anfoniadau a fethodd',
    'webhooks.log.failedIntro':
      'Anfoniadau digwyddiadau yn eich carchardai chi a fethodd, yr hynaf yn gyntaf, 100 ar bob tudalen: mae pob un yn dal digwyddiadau diweddarach y person hwnnw yn ôl nes iddo gael ei anfon eto.',
    'webhooks.log.failedPagination': 'Tudalennau anfoniadau a fethodd',
    'webhooks.log.noneFailed': 'Nid oes unrhyw anfoniad o ddigwyddiad yn eich carchardai chi wedi methu.',
    'webhooks.log.showAll': 'Dangos y 100 anfoniad diweddaraf',
    'webhooks.log.showFailed.one': 'Dangos yr anfoniad a fethodd',
    'webhooks.log.showFailed.other': 'Dangos dim ond y {count} anfoniad a fethodd',
    'webhooks.log.heldByAnotherPrison':
      'Yn cael ei ddal gan ddigwyddiad cynharach i’r person hwn mewn carchar arall, nes i hwnnw gael ei anfon: gall gweinyddwr y carchar hwnnw ei anfon eto',
    'webhooks.log.prison': 'Carchar',
    'webhooks.log.noPrison': 'Heb ei gofnodi',
    'webhooks.log.event': 'Digwyddiad',
    'webhooks.log.action': 'Gweithred',
    'webhooks.log.state': 'Cyflwr',
    'webhooks.log.attempts': 'Cynigion',
    'webhooks.log.lastAttempt': 'Cynnig diwethaf',
    'webhooks.log.answer': 'Ateb diwethaf',
    'webhooks.log.nextAttempt': 'Cynnig nesaf {time}',
    'webhooks.log.status': 'HTTP {status}',
    'webhooks.log.noAnswerYet': 'Dim eto',
    'webhooks.log.never': 'Dim eto',
    'webhooks.state.pending': 'Yn aros',
    'webhooks.state.delivered': 'Wedi’i ddanfon',
    'webhooks.state.failed': 'Wedi methu',
    'webhooks.replay': 'Anfon eto',
  },
)
