@method:IDiscFormat2Data.WriteProtectStatus
Feature: IDiscFormat2Data::get_WriteProtectStatus
  How the media is write protected, as IMAPI_MEDIA_WRITE_PROTECT_STATE flags (0: not protected;
  READ_ONLY_MEDIA 0x4000 for pressed media; BY_SOFTWARE_WRITE_PROTECT 0x8 from the WP bit of the MODE
  SENSE header), read anew each time (getWriteProtectStatus). Write-protected media also carries
  WRITE_PROTECTED in CurrentMediaStatus, and Write refuses it with E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED.
  Not driven here: the true case — the emulated drive has no write-protected media kind (on a real
  drive, a write-protected cartridge or disc shows it).

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario Outline: S_OK — writable media (<media>) is not write protected
    Given a drive with a blank <media>
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When I call getWriteProtectStatus
    Then it succeeds with 0

    Examples:
      | media  |
      | CD-R   |
      | DVD+RW |

  Scenario: S_OK — a pressed CD-ROM is READ_ONLY_MEDIA (0x4000)
    Given a drive with a pressed CD-ROM
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When I call getWriteProtectStatus
    Then it succeeds with 16384

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call getWriteProtectStatus
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device exclusively
    Given another client holds exclusive access as "Other burner"
    When I call getWriteProtectStatus
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario: E_POINTER (0x80004003) — the recorder property holds something that is not a recorder
    Given a DiscFormat2Data whose recorder is not a recorder
    When I call getWriteProtectStatus
    Then it fails with E_POINTER (0x80004003)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command>
    Given the drive will report "<condition>" on the next <command> command
    When I call getWriteProtectStatus
    Then it fails with <hresult> (<value>)

    Examples:
      | condition        | command               | hresult                                       | value      |
      | hardware error   | READ DISC INFORMATION | E_FAIL                                        | 0x80004005 |
      | no media         | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | invalid response | READ DISC INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone      | TEST UNIT READY       | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

  @not-reachable
  Scenario: E_OUTOFMEMORY (0x8007000E) — cannot happen in this API: an allocation failure in Node ends the process
    Then the row E_OUTOFMEMORY (0x8007000E) is documented as not reachable from the TypeScript API
