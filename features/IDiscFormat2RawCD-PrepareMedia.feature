@method:IDiscFormat2RawCD.PrepareMedia
Feature: IDiscFormat2RawCD::PrepareMedia
  Locks the current media for exclusive access: blank CD-R/RW only. The client name must be set
  before; PrepareMedia must precede WriteMedia/WriteMedia2, and ReleaseMedia releases the lock after
  the write or a cancel. The SDK takes exclusive access, identifies the media (TEST UNIT READY, GET
  CONFIGURATION, READ DISC STRUCTURE on DVD, READ DISC INFORMATION, the ATIP), locks the tray and
  suspends MCN; a failure undoes whatever was done.
  Doc quirk: this page prints MEDIA_IS_NOT_SUPPORTED as 0xC0AA0606 and MEDIA_IS_NOT_BLANK as
  0xC0AA0607; imapi2error.h (and the WriteMedia page) give NOT_BLANK 0xC0AA0606, NOT_SUPPORTED
  0xC0AA0607, which is what the SDK returns.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the media is locked: tray locked, other clients refused, MCN off, the ATIP read
    When I prepare the media
    Then it succeeds
    And the tray is locked
    And another client acquiring exclusive access fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And media change notification is disabled on the recorder
    And startOfNextSession is -11634
    When I release the media
    Then the tray is unlocked
    And media change notification is enabled on the recorder
    And another client can acquire exclusive access

  Scenario: S_OK — a blank CD-RW is prepared too
    Given a drive with a blank CD-RW
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"
    When I prepare the media
    Then it succeeds
    And currentPhysicalMediaType is 3

  Scenario: a failed prepare leaves nothing held: tray unlocked, device free
    Given the CD-R already holds a closed session
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606)
    And the tray is unlocked
    And another client can acquire exclusive access
    And media change notification is enabled on the recorder

  Scenario: E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED (0xC0AA060A)
    Given a DiscFormat2RawCD with no recorder
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED (0xC0AA060A)

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_PREPARED (0xC0AA0603) — prepared twice
    Given the media is prepared
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_PREPARED (0xC0AA0603)

  Scenario: E_INVALIDARG (0x80070057) — the recorder was never initialized
    Given a DiscFormat2RawCD on an uninitialized recorder with client name "openimapi conformance"
    When I prepare the media
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_POINTER (0x80004003) — the recorder property holds something that is not a recorder
    Given a DiscFormat2RawCD whose recorder is not a recorder
    When I prepare the media
    Then it fails with E_POINTER (0x80004003)

  Scenario Outline: E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID (0xC0AA0604) — the client name is <what>
    Given a DiscFormat2RawCD on that recorder with client name "<name>"
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID (0xC0AA0604)

    Examples:
      | what                        | name         |
      | empty                       |              |
      | holding a control character | bad\u0007name |

  Scenario Outline: E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED (0xC0AA0607) — a <media> is not CD-R/RW media
    Given a drive with a <kind> <media>
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED (0xC0AA0607)

    Examples:
      | kind    | media  |
      | blank   | DVD+R  |
      | pressed | CD-ROM |

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606) — the CD-R already holds a session
    Given the CD-R already holds a closed session
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606)

  Scenario: E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED (0xC0AA0610) — a drive without the CD Mastering feature (a read-only CD-ROM drive)
    Given a DiscFormat2RawCD on a read-only CD-ROM drive with client name "openimapi conformance"
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED (0xC0AA0610)

  @fault
  Scenario: E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED (0xC0AA0610) — the recorder has no raw (DAO-96) recording
    Given the recorder's CD Mastering feature does not list Raw recording
    When I prepare the media
    Then it fails with E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED (0xC0AA0610)
    And the tray is unlocked
    And another client can acquire exclusive access

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device
    Given another client holds exclusive access as "Other burner"
    When I prepare the media
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I prepare the media
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command>
    Given the drive will report "<condition>" on the next <command> command
    When I prepare the media
    Then it fails with <hresult> (<value>)
    And another client can acquire exclusive access

    Examples:
      | condition              | command                      | hresult                                       | value      |
      | hardware error         | READ DISC INFORMATION        | E_FAIL                                        | 0x80004005 |
      | no media               | TEST UNIT READY              | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready         | TEST UNIT READY              | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress     | TEST UNIT READY              | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress | TEST UNIT READY              | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down            | READ TOC                     | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium    | READ DISC INFORMATION        | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected        | PREVENT ALLOW MEDIUM REMOVAL | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | loss of streaming      | READ DISC INFORMATION        | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response       | READ DISC INFORMATION        | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |

  @fault
  Scenario: HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037) — the device goes away during identification
    Given the drive will report "device gone" on the next READ DISC INFORMATION command
    When I prepare the media
    Then it fails with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037)

  @fault @timeout
  Scenario: E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D) — the drive does not answer READ DISC INFORMATION
    Given the drive will report "command timeout" on the next READ DISC INFORMATION command
    When I prepare the media
    Then it fails with E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D)

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — identifying a DVD whose structure the drive cannot return
    Given a drive with a blank DVD+R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"
    And the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    When I prepare the media
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                  | value      | why                                                                                                      |
      | E_OUTOFMEMORY                            | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                             |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE       | 0xC0AA0201 | prepareMedia sends no MODE SENSE: the write parameters are selected by writeMedia, where the row is met  |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS | 0xC0AA0208 | prepareMedia sends no MODE SELECT: the write parameters are selected by writeMedia, where the row is met |
      | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH    | 0xC0AA020F | prepareMedia sends no speed: SET CD SPEED goes with writeMedia (see SetWriteSpeed), where the row is met |
      | S_IMAPI_SPEEDADJUSTED                    | 0x00AA0004 | success is a resolved promise with no value; the speed used is read from currentWriteSpeed               |
      | S_IMAPI_ROTATIONADJUSTED                 | 0x00AA0005 | success is a resolved promise with no value; the rotation used is read from currentRotationTypeIsPureCAV |
      | S_IMAPI_BOTHADJUSTED                     | 0x00AA0006 | success is a resolved promise with no value; both are read from the current* properties                  |
