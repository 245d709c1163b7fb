/**
 * The drive's control through a lab fixture (docs/lab-fixture.md) instead of the emulator's control
 * plane: what a physical bench can do to a real drive. The steps call it as they call ControlClient.
 *
 *   load(kind)               SWAP kind: a blank disc of that kind
 *   eject()                  EJECT FORCE
 *   arm({kind: 'no-media'})  EJECT FORCE now: the next command finds no disc
 *   arm({kind: 'device-gone'}) POWER CYCLE now: every open handle is lost, new ones find the drive
 *   disarm()                 POWER ON if the drive is off (after a device-gone scenario)
 * A fault "on the next <command>" happens at once: a bench cannot wait for a given CDB. Every other
 * fault kind is beyond a fixture; scenarios that need one are skipped (`supportsScenario`).
 */
import type { LabFixture } from '@openimapi/sdk';
import type { FaultArm } from './control.js';

/** Feature wording of the conditions a fixture can cause (see common.steps.ts CONDITIONS). */
const PHYSICAL_CONDITIONS = new Set(['no media', 'device gone']);

export class FixtureControl {
  constructor(
    readonly fixture: LabFixture,
    readonly drive = 0,
  ) {}

  /** False when the scenario text asks for a drive condition a fixture cannot cause. */
  supportsScenario(stepTexts: readonly string[]): boolean {
    // A physical act lasts (the disc stays out) where a control-plane fault hits one command: a
    // scenario that checks the drive after the failure, a fault on the tray commands themselves, or
    // a device-gone met by a handle opened after it, is beyond a fixture.
    const failed = stepTexts.findIndex((t) => /^it fails with /.test(t));
    if (failed >= 0 && stepTexts.slice(failed + 1).some((t) => !/^another client can acquire exclusive access$/.test(t))) return false;
    if (stepTexts.some((t) => /on the next START STOP UNIT command/.test(t))) return false;
    const gone = stepTexts.findIndex((t) => /"device gone"/.test(t));
    if (gone >= 0 && stepTexts.slice(gone + 1).some((t) => /\b(is initialized|opens the recorder)\b/.test(t))) return false;
    for (const t of stepTexts) {
      // Arming from inside an Update handler (armSync) needs the control plane's timing.
      if (/once the .+ has begun/.test(t)) return false;
      const m = /the drive (?:will )?(?:reports?|refuses|answers)\b.*?"([^"]+)"/.exec(t);
      if (m && !PHYSICAL_CONDITIONS.has(m[1]!)) return false;
      if (/^the drive will /.test(t) && !m) return false;
      // What a drive records (its features) is the drive's own: no physical act changes it.
      if (/^the recorder's .+ does not list /.test(t)) return false;
    }
    return true;
  }

  async load(media: string): Promise<unknown> {
    return this.fixture.swap(media, this.drive);
  }
  async loadFile(file: string): Promise<unknown> {
    throw new Error(`a lab fixture loads discs from its autoloader slots, not from a file (${file})`);
  }
  async eject(force = true): Promise<unknown> {
    return this.fixture.eject(this.drive, { force });
  }
  async closeTray(): Promise<unknown> {
    throw new Error('a lab fixture has no close-tray verb: LOAD or SWAP a disc instead');
  }
  async arm(f: FaultArm): Promise<unknown> {
    if (f.kind === 'no-media') return this.fixture.eject(this.drive, { force: true });
    // A power cycle: the drive drops off its bus (every open handle is lost) and comes back, as the
    // control plane's device-gone fault drops the connection and leaves the drive there for new ones.
    if (f.kind === 'device-gone') return this.fixture.power('cycle', this.drive);
    throw new Error(`a lab fixture cannot cause "${f.kind}" (only no-media and device-gone)`);
  }
  armSync(f: FaultArm): void {
    throw new Error(`a lab fixture cannot cause "${f.kind}" from inside an Update handler`);
  }
  async disarm(): Promise<unknown> {
    const s = await this.fixture.status(this.drive);
    return s.power === 'off' ? this.fixture.power('on', this.drive) : s;
  }
  async state(): Promise<Record<string, unknown>> {
    return { ...(await this.fixture.status(this.drive)).fields };
  }
}
