/** IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h) and the MMC profile each corresponds to. */
import { Profile } from '../scsi/commands/get-configuration.js';

export const MediaPhysicalType = {
  UNKNOWN: 0,
  CDROM: 1,
  CDR: 2,
  CDRW: 3,
  DVDROM: 4,
  DVDRAM: 5,
  DVDPLUSR: 6,
  DVDPLUSRW: 7,
  DVDPLUSR_DUALLAYER: 8,
  DVDDASHR: 9,
  DVDDASHRW: 10,
  DVDDASHR_DUALLAYER: 11,
  DISK: 12,
  DVDPLUSRW_DUALLAYER: 13,
  HDDVDROM: 14,
  HDDVDR: 15,
  HDDVDRAM: 16,
  BDROM: 17,
  BDR: 18,
  BDRE: 19,
} as const;

const byProfile = new Map<number, number>([
  [Profile.CD_ROM, MediaPhysicalType.CDROM],
  [Profile.CD_R, MediaPhysicalType.CDR],
  [Profile.CD_RW, MediaPhysicalType.CDRW],
  [Profile.DVD_ROM, MediaPhysicalType.DVDROM],
  [Profile.DVD_R_SEQUENTIAL, MediaPhysicalType.DVDDASHR],
  [Profile.DVD_RAM, MediaPhysicalType.DVDRAM],
  [Profile.DVD_RW_RESTRICTED_OVERWRITE, MediaPhysicalType.DVDDASHRW],
  [Profile.DVD_RW_SEQUENTIAL, MediaPhysicalType.DVDDASHRW],
  [Profile.DVD_R_DL_SEQUENTIAL, MediaPhysicalType.DVDDASHR_DUALLAYER],
  [Profile.DVD_R_DL_LAYER_JUMP, MediaPhysicalType.DVDDASHR_DUALLAYER],
  [Profile.DVD_PLUS_RW, MediaPhysicalType.DVDPLUSRW],
  [Profile.DVD_PLUS_R, MediaPhysicalType.DVDPLUSR],
  [Profile.DVD_PLUS_RW_DL, MediaPhysicalType.DVDPLUSRW_DUALLAYER],
  [Profile.DVD_PLUS_R_DL, MediaPhysicalType.DVDPLUSR_DUALLAYER],
  [Profile.BD_ROM, MediaPhysicalType.BDROM],
  [Profile.BD_R_SRM, MediaPhysicalType.BDR],
  [Profile.BD_R_RRM, MediaPhysicalType.BDR],
  [Profile.BD_RE, MediaPhysicalType.BDRE],
  [Profile.HD_DVD_ROM, MediaPhysicalType.HDDVDROM],
  [Profile.HD_DVD_R, MediaPhysicalType.HDDVDR],
  [Profile.HD_DVD_RAM, MediaPhysicalType.HDDVDRAM],
]);

/** The IMAPI physical media type of an MMC current profile (UNKNOWN for none or an unknown one). */
export function physicalTypeOfProfile(profile: number): number {
  return byProfile.get(profile) ?? MediaPhysicalType.UNKNOWN;
}

/** DVD and BD profiles: media identification reads their physical format structure. */
export function isDvdOrBdProfile(profile: number): boolean {
  return (profile >= 0x10 && profile <= 0x2b) || (profile >= 0x40 && profile <= 0x43);
}
