/**
 * Exclusive access handlers: RESERVE(6)/RELEASE(6) (SPC-2 §7.21/§7.17) and PERSISTENT RESERVE IN/OUT
 * (SPC-4 §6.15/§6.16, §5.13). The conflict check itself runs in the drive before any handler
 * (reservations.ts); these handlers implement each service action's own rules, validating the whole
 * request before they change a registration.
 */
import {
  CheckCondition,
  PrInServiceAction,
  PrOutServiceAction,
  PrScope,
  PrType,
  ScsiStatus,
  Sense,
  decodePersistentReserveInCdb,
  decodePersistentReserveOutCdb,
  decodePersistentReserveOutParameters,
  decodeRelease6Cdb,
  decodeReserve6Cdb,
  encodePrReadFullStatusReply,
  encodePrReadKeysReply,
  encodePrReadReservationReply,
  encodePrReportCapabilitiesReply,
  invalidCdbField,
  invalidParameterField,
} from '@openimapi/sdk';
import { upTo, type CommandContext } from './types.js';

/** A RESERVATION CONFLICT raised from inside a handler (status 18h, no sense). */
export class ReservationConflict extends Error {
  readonly status = ScsiStatus.RESERVATION_CONFLICT;
  constructor(message: string) {
    super(message);
    this.name = 'ReservationConflict';
  }
}

/** RESERVE(6): the nexus gets the logical unit; a second RESERVE from the holder is GOOD. */
export function reserve6(ctx: CommandContext): void {
  decodeReserve6Cdb(ctx.cdb);
  const r = ctx.state.reservations;
  if (r.spc2 && r.spc2.id !== ctx.nexus.id) throw new ReservationConflict('reserved by another nexus');
  r.spc2 = ctx.nexus;
}

/** RELEASE(6): releases the nexus's own reservation; from anyone else GOOD with no effect. */
export function release6(ctx: CommandContext): void {
  decodeRelease6Cdb(ctx.cdb);
  const r = ctx.state.reservations;
  if (r.spc2?.id === ctx.nexus.id) r.spc2 = undefined;
}

/** PERSISTENT RESERVE IN: READ KEYS, READ RESERVATION, REPORT CAPABILITIES, READ FULL STATUS. */
export function persistentReserveIn(ctx: CommandContext): Buffer {
  const p = decodePersistentReserveInCdb(ctx.cdb);
  const r = ctx.state.reservations;
  let data: Buffer;
  switch (p.serviceAction) {
    case PrInServiceAction.READ_KEYS:
      data = encodePrReadKeysReply({ prGeneration: r.generation, keys: [...r.registrations.values()].map((x) => x.key) });
      break;
    case PrInServiceAction.READ_RESERVATION:
      data = encodePrReadReservationReply({
        prGeneration: r.generation,
        ...(r.pr ? { reservation: { key: r.isAllRegistrants() ? 0n : r.pr.key, scope: PrScope.LU_SCOPE, type: r.pr.type } } : {}),
      });
      break;
    case PrInServiceAction.REPORT_CAPABILITIES:
      data = encodePrReportCapabilitiesReply({
        rlrC: false,
        crh: true,
        sipC: false,
        atpC: false,
        ptplC: false,
        tmv: true,
        allowCommands: 0,
        ptplA: false,
        types: [1, 3, 5, 6, 7, 8],
      });
      break;
    case PrInServiceAction.READ_FULL_STATUS:
      data = encodePrReadFullStatusReply({
        prGeneration: r.generation,
        descriptors: [...r.registrations.entries()].map(([id, reg]) => {
          const holder = r.holdsPr(id);
          return {
            key: reg.key,
            allTgPt: false,
            reservationHolder: holder,
            scope: holder ? PrScope.LU_SCOPE : 0,
            type: holder ? r.pr!.type : 0,
            relativeTargetPortIdentifier: reg.nexus.tpgt,
            transportId: { protocol: 'iscsi' as const, name: reg.nexus.initiatorName, isid: reg.nexus.isid },
          };
        }),
      });
      break;
    default:
      throw invalidCdbField(1, `PERSISTENT RESERVE IN: service action ${p.serviceAction} is not supported`, 4);
  }
  return upTo(data, p.allocationLength);
}

/** PERSISTENT RESERVE OUT (SPC-4 §5.13.5-§5.13.11). */
export function persistentReserveOut(ctx: CommandContext): void {
  const p = decodePersistentReserveOutCdb(ctx.cdb);
  const data = ctx.cmd.dataOut ?? Buffer.alloc(0);
  if (data.length !== p.parameterListLength) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `PERSISTENT RESERVE OUT: ${data.length} bytes of data for a PARAMETER LIST LENGTH of ${p.parameterListLength}`);
  }
  const params = decodePersistentReserveOutParameters(data, p.serviceAction);
  if (params.transportIds) throw invalidParameterField(20, 'PERSISTENT RESERVE OUT: SPEC_I_PT is not supported', 3);
  if (params.allTgPt) throw invalidParameterField(20, 'PERSISTENT RESERVE OUT: ALL_TG_PT is not supported', 2);
  if (params.aptpl) throw invalidParameterField(20, 'PERSISTENT RESERVE OUT: APTPL is not supported', 0);
  const r = ctx.state.reservations;
  const me = ctx.nexus.id;
  const reg = r.registrations.get(me);
  const keyMatches = reg !== undefined && reg.key === params.reservationKey;
  ctx.note({ serviceAction: p.serviceAction });

  switch (p.serviceAction) {
    case PrOutServiceAction.REGISTER:
    case PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY: {
      const ignore = p.serviceAction === PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY;
      const newKey = params.serviceActionReservationKey;
      if (!reg) {
        if (!ignore && params.reservationKey !== 0n) throw new ReservationConflict('REGISTER from an unregistered nexus with a non-zero key');
        if (newKey === 0n) return; // nothing to register: GOOD
        r.registrations.set(me, { nexus: ctx.nexus, key: newKey });
        r.generation++;
        return;
      }
      if (!ignore && !keyMatches) throw new ReservationConflict('REGISTER with a key that does not match the registration');
      if (newKey === 0n) {
        r.dropNexus(me); // unregister; a holder's reservation goes with it (§5.13.11.2.3)
        return;
      }
      reg.key = newKey;
      if (r.pr && r.holdsPr(me) && !r.isAllRegistrants()) r.pr.key = newKey;
      r.generation++;
      return;
    }
    case PrOutServiceAction.RESERVE: {
      if (!keyMatches) throw new ReservationConflict('RESERVE without a matching registration');
      if (!r.pr) {
        r.pr = { holder: me, type: p.type, key: reg!.key };
        return;
      }
      if (r.holdsPr(me) && r.pr.type === p.type) return; // same reservation again: GOOD
      throw new ReservationConflict('the logical unit is reserved');
    }
    case PrOutServiceAction.RELEASE: {
      if (!keyMatches) throw new ReservationConflict('RELEASE without a matching registration');
      if (!r.pr || !r.holdsPr(me)) return; // not the holder: GOOD, nothing happens (§5.13.11.2.2)
      if (r.pr.type !== p.type) throw new CheckCondition({ key: 0x5, asc: 0x26, ascq: 0x04 }, 'INVALID RELEASE OF PERSISTENT RESERVATION');
      r.releasePr(me);
      return;
    }
    case PrOutServiceAction.CLEAR: {
      if (!keyMatches) throw new ReservationConflict('CLEAR without a matching registration');
      const others = [...r.registrations.keys()].filter((id) => id !== me);
      r.registrations.clear();
      r.pr = undefined;
      r.generation++;
      ctx.state.ua.establish(Sense.RESERVATIONS_PREEMPTED, { only: others });
      return;
    }
    case PrOutServiceAction.PREEMPT:
    case PrOutServiceAction.PREEMPT_AND_ABORT: {
      if (!keyMatches) throw new ReservationConflict('PREEMPT without a matching registration');
      const victimKey = params.serviceActionReservationKey;
      const victims = [...r.registrations.entries()].filter(([, x]) => x.key === victimKey).map(([id]) => id);
      if (r.pr && r.isAllRegistrants()) {
        // All-registrants reservation: key 0 preempts every other registrant (§5.13.11.4.3).
        if (victimKey === 0n) {
          const others = [...r.registrations.keys()].filter((id) => id !== me);
          for (const id of others) r.registrations.delete(id);
          r.pr = { holder: me, type: p.type, key: reg!.key };
          r.generation++;
          ctx.state.ua.establish(Sense.RESERVATIONS_PREEMPTED, { only: others });
          return;
        }
      } else if (victimKey === 0n) {
        throw invalidParameterField(8, 'PREEMPT: SERVICE ACTION RESERVATION KEY is zero');
      }
      const preemptsHolder = r.pr !== undefined && !r.isAllRegistrants() && r.pr.key === victimKey;
      if (victims.length === 0 && !preemptsHolder) throw new ReservationConflict('PREEMPT: no registration has that key');
      for (const id of victims) if (id !== me) r.registrations.delete(id);
      if (preemptsHolder) r.pr = { holder: me, type: p.type, key: reg!.key };
      r.generation++;
      ctx.state.ua.establish(Sense.RESERVATIONS_PREEMPTED, { only: victims.filter((id) => id !== me) });
      return;
    }
    default:
      throw invalidCdbField(1, `PERSISTENT RESERVE OUT: service action ${p.serviceAction} is not supported`, 4);
  }
}
