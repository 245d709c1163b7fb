/**
 * DiscRecorder2 (IDiscRecorder2): one optical drive, opened by its unique id.
 *
 * Shape in TypeScript: identity that INQUIRY fixes (vendorId, productId, productRevision) and the
 * host-side facts (volumeName, volumePathNames, legacyDeviceNumber, activeDiscRecorder) are plain
 * properties, read after `initializeDiscRecorder`. Everything the drive answers anew each time
 * (features, profiles, mode pages, deviceCanLoadMedia, exclusiveAccessOwner) is an async getter
 * method named `get<Property>()`, since it costs a command.
 *
 * A drive behind iSCSI has no volume on this host: volumeName is '' and volumePathNames is [].
 *
 * Media-change notification (MCN): the recorder emits `mediaChanged` when the drive reports a
 * medium change — a 06/28 unit attention on any command, or a media event from GET EVENT STATUS
 * NOTIFICATION polling (`mcnPollMs`, started by enableMcn). disableMcn/enableMcn nest by count, as
 * IMAPI2's do; the format objects call `suspendMcn()` while media is prepared (it returns the resume
 * function), a count of its own that enableMcn does not touch: MCN is read-only while media is
 * prepared (IDiscFormat2TrackAtOnce::PrepareMedia), so notifications stay off until the last holder
 * resumes, whatever the application enables meanwhile.
 */
import { EventEmitter } from 'node:events';
import { ScsiDevice } from '../device/scsi-device.js';
import type { ScsiTransport } from '../transport/scsi-transport.js';
import { ImapiError } from '../errors/imapi-error.js';
import { encodeInquiryCdb, decodeInquiryReply, PeripheralDeviceType } from '../scsi/commands/inquiry.js';
import { encodeGetConfigurationCdb, decodeGetConfigurationReply, Feature, findFeature, GetConfigurationRt, type FeatureDescriptor } from '../scsi/commands/get-configuration.js';
import { encodeStartStopUnitCdb, PowerCondition } from '../scsi/commands/start-stop-unit.js';
import { encodePreventAllowMediumRemovalCdb, MediumRemoval } from '../scsi/commands/prevent-allow-medium-removal.js';
import { encodeGetEventStatusNotificationCdb, decodeGetEventStatusNotificationReply, notificationClassMask, NotificationClass, MediaEvent } from '../scsi/commands/get-event-status-notification.js';
import { encodeModeSense10Cdb, decodeModeSense10Reply, PageControl } from '../scsi/commands/mode-sense-10.js';
import { modePageCode, type ModePage } from '../scsi/commands/mode-parameters.js';
import { ExclusiveAccess, type ExclusiveAccessMethod } from './exclusive-access.js';
import type { SenseData } from '../wire/sense.js';

/** How a recorder object reaches its drive: opens a transport for a unique id. */
export type TransportOpener = (uniqueId: string) => Promise<ScsiTransport>;

export interface DiscRecorder2Options {
  /** Opens the transport for `initializeDiscRecorder(uniqueId)`. DiscMaster2 passes its own. */
  readonly open?: TransportOpener;
  /** Position in the DiscMaster2 enumeration (IMAPI2's LegacyDeviceNumber). */
  readonly legacyDeviceNumber?: number;
  /** GESN polling interval while MCN is enabled (default 2000 ms; 0 = unit attentions only). */
  readonly mcnPollMs?: number;
  /** Caps every command's timeout (ScsiDeviceOptions.commandTimeoutMs). */
  readonly commandTimeoutMs?: number;
}

export interface DiscRecorder2Events {
  /** The medium changed (arrival, removal, or a change the drive reported). */
  mediaChanged: [info: { reason: 'unit-attention' | 'new-media' | 'media-removal' | 'media-changed'; sense?: SenseData }];
}

/** IMAPI_MODE_PAGE_REQUEST_TYPE = SCSI PAGE CONTROL. */
export const ModePageRequestType = { CURRENT_VALUES: 0, CHANGEABLE_VALUES: 1, DEFAULT_VALUES: 2, SAVED_VALUES: 3 } as const;

export class DiscRecorder2 extends EventEmitter<DiscRecorder2Events> {
  protected dev: ScsiDevice | undefined;
  private readonly opts: DiscRecorder2Options;
  private lock: ExclusiveAccess | undefined;
  /** DisableMcn calls not yet matched by EnableMcn. */
  private mcnDisabled = 0;
  /** Format objects holding prepared media (suspendMcn); EnableMcn does not touch this count. */
  private mcnSuspended = 0;
  /** Format objects of this recorder with the media prepared (holdMedia): no eject, no tray moves. */
  private mediaHeld = 0;
  private mcnTimer: NodeJS.Timeout | undefined;
  private uniqueId = '';
  private inquiry = { vendorId: '', productId: '', productRevision: '' };
  private closedByUser = false;

  constructor(opts: DiscRecorder2Options = {}) {
    super();
    this.opts = opts;
  }

  /** Opens the drive named by `uniqueId` (the id DiscMaster2 lists: an `iscsi://` URL, …). */
  async initializeDiscRecorder(uniqueId: string): Promise<void> {
    if (typeof uniqueId !== 'string' || uniqueId === '') throw new TypeError('uniqueId must be a non-empty string');
    if (!this.opts.open) throw new TypeError('no transport opener: create the recorder through DiscMaster2, or pass options.open');
    const transport = await this.opts.open(uniqueId);
    await this.attach(transport, uniqueId);
  }

  /** Uses an already open transport (tests, or an app with its own transport). */
  async attach(transport: ScsiTransport, uniqueId = transport.id): Promise<void> {
    if (this.dev) throw new TypeError('the recorder is already initialized');
    const dev = new ScsiDevice(transport, this.opts.commandTimeoutMs !== undefined ? { commandTimeoutMs: this.opts.commandTimeoutMs } : {});
    const inq = await dev.read({ cdb: (n) => encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: n }), allocationLength: 96, maxAllocationLength: 0xff, decode: decodeInquiryReply });
    if (inq.peripheralDeviceType !== PeripheralDeviceType.CD_DVD) {
      await transport.close();
      throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `${uniqueId} is not a CD/DVD device (peripheral device type 0x${inq.peripheralDeviceType.toString(16)})`);
    }
    this.dev = dev;
    this.uniqueId = uniqueId;
    this.inquiry = { vendorId: inq.vendorIdentification, productId: inq.productIdentification, productRevision: inq.productRevisionLevel };
    this.lock = new ExclusiveAccess(dev, uniqueId);
    dev.on('mediaChanged', (sense) => {
      if (this.mcnEnabled) this.emit('mediaChanged', { reason: 'unit-attention', sense });
    });
    this.startPolling();
  }

  /** The ScsiDevice under this recorder (for the format objects). Throws ERROR_INVALID_HANDLE when closed. */
  get device(): ScsiDevice {
    return this.need();
  }

  get activeDiscRecorder(): string {
    return this.uniqueId;
  }
  get vendorId(): string {
    this.need();
    return this.inquiry.vendorId;
  }
  get productId(): string {
    this.need();
    return this.inquiry.productId;
  }
  get productRevision(): string {
    this.need();
    return this.inquiry.productRevision;
  }
  /** No host volume for a drive reached over a network or a raw path: always ''. */
  get volumeName(): string {
    this.need();
    return '';
  }
  get volumePathNames(): string[] {
    this.need();
    return [];
  }
  get legacyDeviceNumber(): number {
    return this.opts.legacyDeviceNumber ?? 0;
  }

  // --- GET CONFIGURATION ------------------------------------------------------------------------

  /** GET CONFIGURATION with `rt` from `start`; the whole reply (re-issued when truncated). */
  protected async configuration(rt: number, start = 0) {
    return this.need().read({ cdb: (n) => encodeGetConfigurationCdb({ rt, startingFeature: start, allocationLength: n }), allocationLength: 2048, decode: decodeGetConfigurationReply });
  }

  /** Feature codes the drive reports (all of them, or only the current ones with `currentFeatureOnly`). */
  async getSupportedFeaturePages(currentFeatureOnly = false): Promise<number[]> {
    if (currentFeatureOnly) return this.getCurrentFeaturePages();
    return (await this.configuration(GetConfigurationRt.ALL)).features.map((f) => f.code);
  }
  async getCurrentFeaturePages(): Promise<number[]> {
    return (await this.configuration(GetConfigurationRt.CURRENT)).features.filter((f) => f.current).map((f) => f.code);
  }
  /** Profiles of the Profile List feature (all, or only the current ones with `currentOnly`). */
  async getSupportedProfiles(currentOnly = false): Promise<number[]> {
    const f = findFeature((await this.configuration(GetConfigurationRt.ONE, Feature.PROFILE_LIST)).features, Feature.PROFILE_LIST, 'profileList');
    return f ? f.profiles.filter((p) => !currentOnly || p.currentP).map((p) => p.profile) : [];
  }
  async getCurrentProfiles(): Promise<number[]> {
    return this.getSupportedProfiles(true);
  }
  /** The profile the drive reports as current in the feature header (0 = no medium). */
  async getCurrentProfile(): Promise<number> {
    return (await this.configuration(GetConfigurationRt.ONE, Feature.CORE)).currentProfile;
  }
  /** Removable Medium feature (0003h) Load bit: the drive can close its tray / load a disc itself. */
  async getDeviceCanLoadMedia(): Promise<boolean> {
    const f = findFeature((await this.configuration(GetConfigurationRt.ONE, Feature.REMOVABLE_MEDIUM)).features, Feature.REMOVABLE_MEDIUM, 'removableMedium');
    return f?.load ?? false;
  }
  /** IDiscRecorder2Ex::GetFeaturePage: NO_SUCH_FEATURE when absent, FEATURE_IS_NOT_CURRENT when asked for a current one that is not. */
  async getFeaturePage(feature: number, currentFeatureOnly = false): Promise<FeatureDescriptor> {
    if (!Number.isInteger(feature) || feature < 0 || feature > 0xffff) throw new TypeError('feature must be an integer 0..0xFFFF');
    const f = (await this.configuration(GetConfigurationRt.ONE, feature)).features.find((x) => x.code === feature);
    if (!f) throw new ImapiError('E_IMAPI_RECORDER_NO_SUCH_FEATURE');
    if (currentFeatureOnly && !f.current) throw new ImapiError('E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT');
    return f;
  }

  // --- MODE SENSE -------------------------------------------------------------------------------

  protected async modeSense(pageCode: number, pageControl: number = PageControl.CURRENT) {
    return this.need().read({ cdb: (n) => encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl, pageCode, subpageCode: 0, allocationLength: n }), allocationLength: 1024, decode: decodeModeSense10Reply });
  }
  /** Page codes MODE SENSE (page 3Fh, all pages) returns for `requestType` (IMAPI_MODE_PAGE_REQUEST_TYPE). */
  async getSupportedModePages(requestType: number = ModePageRequestType.CURRENT_VALUES): Promise<number[]> {
    if (!Number.isInteger(requestType) || requestType < 0 || requestType > 3) throw new TypeError('requestType must be 0..3');
    return (await this.modeSense(0x3f, requestType)).pages.map(modePageCode);
  }
  /** IDiscRecorder2Ex::GetModePage (NO_SUCH_MODE_PAGE when the drive has no such page). */
  async getModePage(pageCode: number, requestType: number = ModePageRequestType.CURRENT_VALUES): Promise<ModePage> {
    if (!Number.isInteger(pageCode) || pageCode < 0 || pageCode > 0x3e) throw new TypeError('pageCode must be an integer 0..0x3E');
    if (!Number.isInteger(requestType) || requestType < 0 || requestType > 3) throw new TypeError('requestType must be 0..3');
    const page = (await this.modeSense(pageCode, requestType)).pages.find((p) => modePageCode(p) === pageCode);
    if (!page) throw new ImapiError('E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE');
    return page;
  }

  // --- Tray -------------------------------------------------------------------------------------

  /**
   * Opens the tray: PREVENT ALLOW MEDIUM REMOVAL (allow: a lock this client set with a pass-through
   * PREVENT is lifted), then START STOP UNIT with LoEj. While a format object of this recorder has the
   * media prepared (PrepareMedia "locks the current media for exclusive access" until ReleaseMedia, or
   * while a Data write or an erase runs) it refuses with E_IMAPI_RECORDER_LOCKED, the EjectMedia
   * table's code for a locked device, and sends nothing: the format's lock is not undone behind it.
   */
  async ejectMedia(): Promise<void> {
    const dev = this.need();
    this.refuseWhileMediaHeld('ejectMedia');
    await dev.exec(encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.ALLOW }));
    await dev.exec(encodeStartStopUnitCdb({ immed: false, powerCondition: PowerCondition.START_VALID, loej: true, start: false }));
  }
  /** Closes the tray: START STOP UNIT with LoEj and Start. Refused as ejectMedia is while media is prepared. */
  async closeTray(): Promise<void> {
    const dev = this.need();
    this.refuseWhileMediaHeld('closeTray');
    await dev.exec(encodeStartStopUnitCdb({ immed: false, powerCondition: PowerCondition.START_VALID, loej: true, start: true }));
  }

  /** For the format objects: the media is prepared (tray locked) until the returned function is called. */
  holdMedia(): () => void {
    this.need();
    this.mediaHeld++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.mediaHeld--;
    };
  }

  private refuseWhileMediaHeld(what: string): void {
    if (this.mediaHeld > 0) {
      throw new ImapiError('E_IMAPI_RECORDER_LOCKED', `E_IMAPI_RECORDER_LOCKED (0xC0AA0210): ${what}: a format object of this recorder has the media prepared (locked for exclusive access); release it first (releaseMedia)`);
    }
  }

  // --- Exclusive access -------------------------------------------------------------------------

  /**
   * Adds one to the lock count; the first takes the lock at the device (see exclusive-access.ts).
   * `force` has no effect: in IMAPI2 it lets the lock dismount a host file system volume, and no
   * volume is mounted from a drive reached through the SDK; it never takes the drive from another
   * client (that one keeps it; this call fails with E_IMAPI_RECORDER_LOCKED).
   */
  async acquireExclusiveAccess(force: boolean, clientName: string): Promise<void> {
    this.need();
    await this.lock!.acquire(force, clientName);
  }
  /** Takes one from the lock count; the last releases the device. Nothing held: S_OK, no effect. */
  async releaseExclusiveAccess(): Promise<void> {
    this.need();
    await this.lock!.release();
  }
  /** The current lock count of this recorder object. */
  get exclusiveAccessCount(): number {
    return this.lock?.count ?? 0;
  }
  /** Where this object's lock is held while the count is above 0: 'pr', 'spc2' or 'host'. */
  get exclusiveAccessMethod(): ExclusiveAccessMethod | undefined {
    return this.lock?.method;
  }
  /** Who holds the drive: '' when nobody does (see exclusive-access.ts for the format). */
  async getExclusiveAccessOwner(): Promise<string> {
    this.need();
    return this.lock!.owner();
  }

  // --- Media change notification ----------------------------------------------------------------

  disableMcn(): void {
    this.need();
    this.mcnDisabled++;
    this.stopPolling();
  }
  enableMcn(): void {
    this.need();
    if (this.mcnDisabled > 0) this.mcnDisabled--;
    this.startPolling();
  }
  /** For the format objects: MCN off while media is prepared; call the returned function to resume. */
  suspendMcn(): () => void {
    this.need();
    this.mcnSuspended++;
    this.stopPolling();
    let done = false;
    return () => {
      if (done || !this.dev) return;
      done = true;
      this.mcnSuspended--;
      this.startPolling();
    };
  }
  get mcnEnabled(): boolean {
    return this.mcnDisabled === 0 && this.mcnSuspended === 0;
  }

  private startPolling(): void {
    const ms = this.opts.mcnPollMs ?? 2000;
    if (ms <= 0 || this.mcnTimer || !this.mcnEnabled || !this.dev) return;
    let busy = false;
    this.mcnTimer = setInterval(() => {
      if (busy || !this.dev || this.dev.closed) return;
      busy = true;
      this.pollMediaEvent()
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, ms);
    this.mcnTimer.unref();
  }
  private stopPolling(): void {
    clearInterval(this.mcnTimer);
    this.mcnTimer = undefined;
  }

  /** One GESN poll of the media class; emits mediaChanged for an arrival, removal or change. */
  async pollMediaEvent(): Promise<void> {
    const reply = await this.need().read({
      cdb: (n) => encodeGetEventStatusNotificationCdb({ polled: true, notificationClassRequest: notificationClassMask([NotificationClass.MEDIA]), allocationLength: n }),
      allocationLength: 8,
      decode: decodeGetEventStatusNotificationReply,
    });
    const e = reply.event;
    if (!this.mcnEnabled || !e || e.kind !== 'media') return;
    const reason = e.mediaEventCode === MediaEvent.NEW_MEDIA ? 'new-media' : e.mediaEventCode === MediaEvent.MEDIA_REMOVAL ? 'media-removal' : e.mediaEventCode === MediaEvent.MEDIA_CHANGED ? 'media-changed' : undefined;
    if (reason) this.emit('mediaChanged', { reason });
  }

  // --- Lifetime ---------------------------------------------------------------------------------

  /** Releases the device lock if held and closes the transport. Later calls fail with ERROR_INVALID_HANDLE. */
  async close(): Promise<void> {
    if (!this.dev || this.closedByUser) return;
    this.closedByUser = true;
    this.stopPolling();
    try {
      await this.lock?.releaseAll();
    } catch {
      /* the session end releases it anyway */
    }
    await this.dev.close();
  }

  protected need(): ScsiDevice {
    if (this.closedByUser) throw new ImapiError('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)', 'HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006): the recorder is closed');
    if (!this.dev) throw new ImapiError('E_IMAPI_RECORDER_REQUIRED', 'initializeDiscRecorder has not been called');
    return this.dev;
  }
}
