/**
 * The HRESULT catalog: every code of the IMAPI2 recording surface (imapi2error.h) plus the generic COM
 * codes and the two HRESULT_FROM_WIN32 values the IMAPI2 return-code tables list.
 *
 * Values are the exact unsigned 32-bit HRESULTs. Many IMAPI2 codes are 0xC0AA…, not 0x80AA….
 * Doc quirk: the tables print HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) as "Value: 6" and
 * HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) as "Value: 55"; those are the Win32 codes, the HRESULTs are
 * 0x80070006 and 0x80070037.
 */

/** FACILITY_WIN32 HRESULT for a Win32 error code, as the HRESULT_FROM_WIN32 macro computes it. */
export function hresultFromWin32(code: number): number {
  if (!Number.isInteger(code) || code < 0 || code > 0xffffffff) {
    throw new TypeError(`code must be a Win32 error code (0..0xFFFFFFFF), got ${String(code)}`);
  }
  return code <= 0 || code > 0xffff ? code >>> 0 : ((code & 0xffff) | (7 << 16) | 0x80000000) >>> 0;
}

/** Win32 error codes that appear inside HRESULT_FROM_WIN32 in the tables. */
export const Win32Error = {
  ERROR_INVALID_HANDLE: 6,
  ERROR_DEV_NOT_EXIST: 55,
} as const;

interface Entry {
  readonly value: number;
  readonly message: string;
}

const entries = {
  // Generic COM / Win32
  S_OK: { value: 0x00000000, message: 'The operation succeeded.' },
  E_FAIL: { value: 0x80004005, message: 'Unspecified failure.' },
  E_POINTER: { value: 0x80004003, message: 'Pointer is not valid.' },
  E_INVALIDARG: { value: 0x80070057, message: 'One or more arguments are not valid.' },
  E_OUTOFMEMORY: { value: 0x8007000e, message: 'Failed to allocate the required memory.' },
  'HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)': { value: 0x80070006, message: 'The specified handle is invalid.' },
  'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)': {
    value: 0x80070037,
    message: 'The specified network resource or device is no longer available.',
  },

  // General
  E_IMAPI_REQUEST_CANCELLED: { value: 0xc0aa0002, message: 'The request was canceled.' },
  E_IMAPI_RECORDER_REQUIRED: { value: 0xc0aa0003, message: 'The request requires a current disc recorder to be selected.' },
  S_IMAPI_SPEEDADJUSTED: { value: 0x00aa0004, message: 'The requested write speed was not supported by the drive and the speed was adjusted.' },
  S_IMAPI_ROTATIONADJUSTED: { value: 0x00aa0005, message: 'The requested rotation type was not supported by the drive and the rotation type was adjusted.' },
  S_IMAPI_BOTHADJUSTED: { value: 0x00aa0006, message: 'The requested write speed and rotation type were not supported by the drive and they were both adjusted.' },
  E_IMAPI_BURN_VERIFICATION_FAILED: { value: 0xc0aa0007, message: 'The disc did not pass burn verification and may contain corrupt data or be unusable.' },

  // Recorder
  S_IMAPI_COMMAND_HAS_SENSE_DATA: { value: 0x00aa0200, message: 'The device accepted the command, but returned sense data, indicating an error.' },
  E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE: { value: 0xc0aa0201, message: 'The device reported that the requested mode page (and type) is not present.' },
  E_IMAPI_RECORDER_MEDIA_NO_MEDIA: { value: 0xc0aa0202, message: 'There is no media in the device.' },
  E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE: { value: 0xc0aa0203, message: 'The media is not compatible or of unknown physical format.' },
  E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN: { value: 0xc0aa0204, message: 'The media is inserted upside down.' },
  E_IMAPI_RECORDER_MEDIA_BECOMING_READY: { value: 0xc0aa0205, message: 'The drive reported that it is in the process of becoming ready. Please try the request again later.' },
  E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS: { value: 0xc0aa0206, message: 'The media is currently being formatted. Please wait for the format to complete before attempting to use the media.' },
  E_IMAPI_RECORDER_MEDIA_BUSY: { value: 0xc0aa0207, message: 'The drive reported that it is performing a long-running operation, such as finishing a write. The drive may be unusable for a long period of time.' },
  E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS: { value: 0xc0aa0208, message: 'The drive reported that the combination of parameters provided in the mode page for a MODE SELECT command were not supported.' },
  E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED: { value: 0xc0aa0209, message: 'The drive reported that the media is write protected.' },
  E_IMAPI_RECORDER_NO_SUCH_FEATURE: { value: 0xc0aa020a, message: 'The feature page requested is not supported by the device.' },
  E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT: { value: 0xc0aa020b, message: 'The feature page requested is supported, but is not marked as current.' },
  E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED: { value: 0xc0aa020c, message: 'The drive does not support the GET CONFIGURATION command.' },
  E_IMAPI_RECORDER_COMMAND_TIMEOUT: { value: 0xc0aa020d, message: 'The device failed to accept the command within the timeout period. This may be caused by the device having entered an inconsistent state, or the timeout value for the command may need to be increased.' },
  E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT: { value: 0xc0aa020e, message: 'The DVD structure is not present. This may be caused by incompatible drive/medium used.' },
  E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH: { value: 0xc0aa020f, message: "The media's speed is incompatible with the device. This may be caused by using higher or lower speed media than the range of speeds supported by the device." },
  E_IMAPI_RECORDER_LOCKED: { value: 0xc0aa0210, message: 'The device associated with this recorder during the last operation has been exclusively locked, causing this operation to failed.' },
  E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID: { value: 0xc0aa0211, message: 'The client name is not valid.' },
  E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED: { value: 0xc0aa0212, message: 'The media is not formatted. Please format the media before attempting to use it.' },
  E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE: { value: 0xc0aa02ff, message: 'The device reported unexpected or invalid data for a command.' },

  // Write engine
  E_IMAPI_LOSS_OF_STREAMING: { value: 0xc0aa0300, message: 'The write failed because the drive did not receive data quickly enough to continue writing.' },
  E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE: { value: 0xc0aa0301, message: 'The write failed because the drive returned error information that could not be recovered from.' },
  S_IMAPI_WRITE_NOT_IN_PROGRESS: { value: 0x00aa0302, message: 'There is no write operation currently in progress.' },

  // DiscFormat2Data
  E_IMAPI_DF2DATA_WRITE_IN_PROGRESS: { value: 0xc0aa0400, message: 'There is currently a write operation in progress.' },
  E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS: { value: 0xc0aa0401, message: 'There is no write operation currently in progress.' },
  E_IMAPI_DF2DATA_INVALID_MEDIA_STATE: { value: 0xc0aa0402, message: 'The requested operation is not supported by the current media state.' },
  E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED: { value: 0xc0aa0403, message: 'The provided stream to write is not supported.' },
  E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA: { value: 0xc0aa0404, message: 'The provided stream to write is too large for the currently inserted media.' },
  E_IMAPI_DF2DATA_MEDIA_NOT_BLANK: { value: 0xc0aa0405, message: 'Overwriting non-blank media is not allowed without the ForceOverwrite property set to VARIANT_TRUE.' },
  E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED: { value: 0xc0aa0406, message: 'The current media type is unsupported.' },
  E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED: { value: 0xc0aa0407, message: 'This device does not support the operations required by this disc format.' },
  E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID: { value: 0xc0aa0408, message: 'The client name is not valid.' },

  // DiscFormat2TrackAtOnce
  E_IMAPI_DF2TAO_WRITE_IN_PROGRESS: { value: 0xc0aa0500, message: 'There is currently a write operation in progress.' },
  E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS: { value: 0xc0aa0501, message: 'There is no write operation currently in progress.' },
  E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED: { value: 0xc0aa0502, message: 'The requested operation is only valid when media has been "prepared".' },
  E_IMAPI_DF2TAO_MEDIA_IS_PREPARED: { value: 0xc0aa0503, message: 'The requested operation is not valid when media has been "prepared" but not released.' },
  E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY: { value: 0xc0aa0504, message: 'The property cannot be changed once the media has been written to.' },
  E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC: { value: 0xc0aa0505, message: 'The table of contents cannot be retrieved from an empty disc.' },
  E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK: { value: 0xc0aa0506, message: 'Only blank CD-R/RW media is supported.' },
  E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED: { value: 0xc0aa0507, message: 'Only blank CD-R/RW media is supported.' },
  E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED: { value: 0xc0aa0508, message: 'CD-R and CD-RW media support a maximum of 99 audio tracks.' },
  E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE: { value: 0xc0aa0509, message: 'There is not enough space left on the media to add the provided audio track.' },
  E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED: { value: 0xc0aa050a, message: 'You cannot prepare the media until you choose a recorder to use.' },
  E_IMAPI_DF2TAO_INVALID_ISRC: { value: 0xc0aa050b, message: 'The ISRC provided is not valid.' },
  E_IMAPI_DF2TAO_INVALID_MCN: { value: 0xc0aa050c, message: 'The Media Catalog Number provided is not valid.' },
  E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED: { value: 0xc0aa050d, message: 'The provided audio stream is not valid.' },
  E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED: { value: 0xc0aa050e, message: 'This device does not support the operations required by this disc format.' },
  E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID: { value: 0xc0aa050f, message: 'The client name is not valid.' },

  // DiscFormat2RawCD
  E_IMAPI_DF2RAW_WRITE_IN_PROGRESS: { value: 0xc0aa0600, message: 'There is currently a write operation in progress.' },
  E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS: { value: 0xc0aa0601, message: 'There is no write operation currently in progress.' },
  E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED: { value: 0xc0aa0602, message: 'The requested operation is only valid when media has been "prepared".' },
  E_IMAPI_DF2RAW_MEDIA_IS_PREPARED: { value: 0xc0aa0603, message: 'The requested operation is not valid when media has been "prepared" but not released.' },
  E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID: { value: 0xc0aa0604, message: 'The client name is not valid.' },
  E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK: { value: 0xc0aa0606, message: 'Only blank CD-R/RW media is supported.' },
  E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED: { value: 0xc0aa0607, message: 'Only blank CD-R/RW media is supported.' },
  E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE: { value: 0xc0aa0609, message: 'There is not enough space on the media to add the provided session.' },
  E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED: { value: 0xc0aa060a, message: 'You cannot prepare the media until you choose a recorder to use.' },
  E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED: { value: 0xc0aa060d, message: 'The provided audio stream is not valid.' },
  E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED: { value: 0xc0aa060e, message: 'The requested data block type is not supported by the current device.' },
  E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT: { value: 0xc0aa060f, message: 'The stream does not contain a sufficient number of sectors in the leadin for the current media.' },
  E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED: { value: 0xc0aa0610, message: 'This device does not support the operations required by this disc format.' },

  // DiscFormat2Erase
  E_IMAPI_ERASE_RECORDER_IN_USE: { value: 0x80aa0900, message: 'The disc recorder is in use and cannot be used for erasing.' },
  E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED: { value: 0x80aa0901, message: 'Only one recorder is supported for erasing.' },
  E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL: { value: 0x80aa0902, message: 'The drive did not report sufficient data for a READ DISC INFORMATION command.' },
  E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL: { value: 0x80aa0903, message: 'The drive did not report sufficient data for a MODE SENSE (page 0x2A) command.' },
  E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE: { value: 0x80aa0904, message: 'The drive reported that the media is not erasable.' },
  E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND: { value: 0x80aa0905, message: 'The drive failed the erase command.' },
  E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR: { value: 0x80aa0906, message: 'The drive did not complete the erase in one hour.' },
  E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE: { value: 0x80aa0907, message: 'The drive returned an unexpected error during the erase.' },
  E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND: { value: 0x80aa0908, message: 'The drive failed the spin-up command.' },
  E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED: { value: 0xc0aa0909, message: 'The current media type is unsupported.' },
  E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED: { value: 0xc0aa090a, message: 'This device does not support the operations required by this disc format.' },
  E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID: { value: 0xc0aa090b, message: 'The client name is not valid.' },

  // RawCDImageCreator
  E_IMAPI_RAW_IMAGE_IS_READ_ONLY: { value: 0x80aa0a00, message: 'The image has become read-only due to a call to CreateResultImage; no further changes are allowed.' },
  E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS: { value: 0x80aa0a01, message: 'No more tracks may be added: CD media is restricted to a maximum of 99 tracks.' },
  E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED: { value: 0x80aa0a02, message: 'The requested sector type is not supported.' },
  E_IMAPI_RAW_IMAGE_NO_TRACKS: { value: 0x80aa0a03, message: 'Tracks must be added to the image before using this function.' },
  E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED: { value: 0x80aa0a04, message: 'Tracks may not be added to the image prior to the use of this function.' },
  E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE: { value: 0x80aa0a05, message: 'Adding this track would exceed the limitations of the start of the lead-out.' },
  E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES: { value: 0x80aa0a06, message: 'Adding this track index would exceed the limit of 98 indexes.' },
  E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND: { value: 0x80aa0a07, message: 'The specified LBA offset is not in the list of track indexes.' },
  S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS: { value: 0x00aa0a08, message: 'The specified LBA offset is already in the list of track indexes.' },
  E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED: { value: 0x80aa0a09, message: 'Index 1 (LBA offset zero) cannot be cleared.' },
  E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX: { value: 0x80aa0a0a, message: 'Each index must be a minimum size of ten sectors.' },
} as const satisfies Record<string, Entry>;

export type HResultName = keyof typeof entries;

/** Name → unsigned 32-bit value, e.g. `HResult.E_IMAPI_RECORDER_LOCKED === 0xC0AA0210`. */
export const HResult: { readonly [K in HResultName]: (typeof entries)[K]['value'] } = Object.freeze(
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.value])),
) as never;

const byValue = new Map<number, HResultName>();
for (const [name, e] of Object.entries(entries) as [HResultName, Entry][]) {
  if (byValue.has(e.value)) throw new Error(`duplicate HRESULT value ${hex(e.value)} for ${name}`);
  byValue.set(e.value, name);
}

/** All catalog entries, in declaration order. */
export function allHResults(): ReadonlyArray<{ name: HResultName; value: number; message: string }> {
  return (Object.entries(entries) as [HResultName, Entry][]).map(([name, e]) => ({ name, value: e.value, message: e.message }));
}

/** The catalog name of a value, or undefined for a value not in the catalog. */
export function hresultName(value: number): HResultName | undefined {
  return byValue.get(value >>> 0);
}

/** The value of a catalog name; throws TypeError for a name not in the catalog. */
export function hresultValue(name: string): number {
  const e = (entries as Record<string, Entry>)[name];
  if (!e) throw new TypeError(`unknown HRESULT name: ${name}`);
  return e.value;
}

/** The one-line message of a name or value (a generic text for values outside the catalog). */
export function hresultMessage(nameOrValue: string | number): string {
  const name = typeof nameOrValue === 'number' ? hresultName(nameOrValue) : nameOrValue;
  const e = name === undefined ? undefined : (entries as Record<string, Entry>)[name];
  return e ? e.message : `HRESULT ${hex(typeof nameOrValue === 'number' ? nameOrValue : 0)}`;
}

/** True for success codes (severity bit clear), as the SUCCEEDED macro. */
export function succeeded(hr: number): boolean {
  return (hr >>> 0) < 0x80000000;
}

/** `0xC0AA0210` style, eight upper-case hex digits. */
export function hex(hr: number): string {
  return '0x' + (hr >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** `E_IMAPI_RECORDER_LOCKED (0xC0AA0210)` */
export function formatHResult(hr: number): string {
  const n = hresultName(hr);
  return n ? `${n} (${hex(hr)})` : hex(hr);
}
