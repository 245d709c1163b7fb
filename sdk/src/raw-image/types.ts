/** IMAPI_CD_SECTOR_TYPE: the kind of data a RawCDImageCreator track holds. */
export const CdSectorType = {
  AUDIO: 0,
  MODE_ZERO: 1,
  MODE1: 2,
  MODE2FORM0: 3,
  MODE2FORM1: 4,
  MODE2FORM2: 5,
  MODE1RAW: 6,
  MODE2FORM0RAW: 7,
  MODE2FORM1RAW: 8,
  MODE2FORM2RAW: 9,
} as const;
export type CdSectorTypeValue = (typeof CdSectorType)[keyof typeof CdSectorType];

/** IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE: the sub-channel form of the resulting image. */
export const RawImageType = {
  /** 2368-byte sectors: 2352 + 16 bytes of formatted Q (P in byte 15). */
  SUBCODE_PQ_ONLY: 1,
  /** 2448-byte sectors: 2352 + 96 bytes of P-W with R-W packed (de-interleaved). */
  SUBCODE_IS_COOKED: 2,
  /** 2448-byte sectors: 2352 + 96 bytes of raw (interleaved) P-W. */
  SUBCODE_IS_RAW: 3,
} as const;
export type RawImageTypeValue = (typeof RawImageType)[keyof typeof RawImageType];

/** IMAPI_CD_TRACK_DIGITAL_COPY_SETTING */
export const CdTrackDigitalCopySetting = {
  PERMITTED: 0,
  PROHIBITED: 1,
  /** Serial Copy Management System: the copy bit alternates (4 sectors off, 4 on). */
  SCMS: 2,
} as const;
export type CdTrackDigitalCopySettingValue = (typeof CdTrackDigitalCopySetting)[keyof typeof CdTrackDigitalCopySetting];

/** Bytes per sector of each resulting image type. */
export function rawImageSectorSize(type: RawImageTypeValue): number {
  return type === RawImageType.SUBCODE_PQ_ONLY ? 2368 : 2448;
}
