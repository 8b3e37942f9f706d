/** Official notices: input, validation, targeting, messages and publication. */
export { noticeInputSchema, noticeSchema, incidentSnapshotSchema, NOTICE_STATES, type Notice, type NoticeInput, type IncidentSnapshot } from '../store/notice.js';
export { readNotice, incidentInputOf, type ValidateDeps, type ReadNotice } from './validate.js';
export { subscriptionMatches, planTargets, spreadWorkspaces, countByPlatform, platformsInOrder, type Target, type NoticeScope } from './targeting.js';
export { noticeMessages, type NoticeMessages } from './message.js';
export { NoticePublisher, type NoticeDeps, type NoticeOutcome } from './publish.js';
