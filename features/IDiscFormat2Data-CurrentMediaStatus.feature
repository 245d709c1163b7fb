@method:IDiscFormat2Data.CurrentMediaStatus
Feature: IDiscFormat2Data::get_CurrentMediaStatus
  The state of the media in the drive as IMAPI_FORMAT2_DATA_MEDIA_STATE flags (more than one may be
  set): BLANK, APPENDABLE, FINAL_SESSION, OVERWRITE_ONLY (random-access rewritable), FINALIZED,
  DAMAGED, ERASE_REQUIRED, NON_EMPTY_SESSION, WRITE_PROTECTED, UNSUPPORTED_MEDIA. In this SDK it is an
  async method (getCurrentMediaStatus) that identifies the media anew each time, taking no lock.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — a blank CD-R is BLANK
    Then the current media status is BLANK

  Scenario: S_OK — after a session left open for more, the CD-R is APPENDABLE
    Given the disc already holds a data session of 100 sectors
    Then the current media status is APPENDABLE

  Scenario: S_OK — a closed CD-R is FINALIZED
    Given the disc already holds a data session of 100 sectors and is closed
    Then the current media status is FINALIZED

  Scenario: S_OK — a blank DVD+RW is OVERWRITE_ONLY and BLANK
    Given a drive with a blank DVD+RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    Then the current media status is OVERWRITE_ONLY | BLANK

  Scenario: S_OK — a DVD+RW holding data is OVERWRITE_ONLY, not BLANK
    Given a drive with a blank DVD+RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And the disc already holds a data session of 100 sectors
    Then the current media status is OVERWRITE_ONLY

  Scenario: S_OK — a pressed CD-ROM is WRITE_PROTECTED and UNSUPPORTED_MEDIA
    Given a drive with a pressed CD-ROM
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    Then the current media status is WRITE_PROTECTED | UNSUPPORTED_MEDIA

  Scenario: S_OK — reading the status takes no lock: it works while this client holds nothing and changes nothing
    When I call getCurrentMediaStatus
    Then the result is the media status BLANK
    And another client can acquire exclusive access

  Scenario: E_INVALIDARG (0x80070057) — the recorder was never initialized
    Given a DiscFormat2Data on an uninitialized recorder with client name "openimapi conformance"
    When I call getCurrentMediaStatus
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_POINTER (0x80004003) — the recorder property holds something that is not a recorder
    Given a DiscFormat2Data whose recorder is not a recorder
    When I call getCurrentMediaStatus
    Then it fails with E_POINTER (0x80004003)

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device exclusively
    Given another client holds exclusive access as "Other burner"
    When I call getCurrentMediaStatus
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call getCurrentMediaStatus
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command>
    Given the drive will report "<condition>" on the next <command> command
    When I call getCurrentMediaStatus
    Then it fails with <hresult> (<value>)

    Examples:
      | condition              | command                | hresult                                       | value      |
      | hardware error         | READ DISC INFORMATION  | E_FAIL                                        | 0x80004005 |
      | no media               | TEST UNIT READY        | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready         | TEST UNIT READY        | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress     | TEST UNIT READY        | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress | TEST UNIT READY        | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down            | READ DISC INFORMATION  | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium    | READ DISC INFORMATION  | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected        | READ TRACK INFORMATION | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | loss of streaming      | READ TRACK INFORMATION | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response       | READ DISC INFORMATION  | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone            | READ DISC INFORMATION  | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition              | command                | hresult                                       | value      |
      | command timeout        | READ DISC INFORMATION  | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — a DVD+R whose structure the drive cannot return
    Given a drive with a blank DVD+R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    When I call getCurrentMediaStatus
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                  | value      | why                                                                                                  |
      | E_OUTOFMEMORY                            | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                         |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE       | 0xC0AA0201 | its one MODE SENSE (page 2Ah, for the write-protect bit) may fail: the media is then taken as writable |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS | 0xC0AA0208 | only MODE SELECT reports it, and reading the status sends none                                       |
      | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH    | 0xC0AA020F | only SET CD SPEED / SET STREAMING report it, and reading the status sends neither                    |
