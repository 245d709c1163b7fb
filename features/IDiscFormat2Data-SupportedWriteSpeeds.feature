@method:IDiscFormat2Data.SupportedWriteSpeeds
Feature: IDiscFormat2Data::get_SupportedWriteSpeeds and get_SupportedWriteSpeedDescriptors
  The write speeds the recorder and the current media support, in sectors per second, fastest first
  (GET PERFORMANCE type 03h, write speed descriptors); the descriptors add the media type and whether
  the speed is pure CAV.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — a CD-R: 48x down to 4x, in sectors of 2352 bytes per second
    When I call getSupportedWriteSpeeds
    Then it succeeds with [3600, 3000, 2400, 1800, 1200, 600, 300]

  Scenario: S_OK — a DVD+R: 16x, 8x and 4x, in sectors of 2048 bytes per second
    Given a drive with a blank DVD+R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When I call getSupportedWriteSpeeds
    Then it succeeds with [10820, 5410, 2705]

  Scenario: S_OK — each descriptor names the media type (CD-R = 2) and is not pure CAV
    When I call getSupportedWriteSpeedDescriptors
    Then every descriptor has media type 2, pure CAV false, and the speeds 3600, 3000, 2400, 1800, 1200, 600, 300

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call getSupportedWriteSpeeds
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  Scenario: E_IMAPI_RECORDER_REQUIRED (0xC0AA0003) — no recorder
    Given a DiscFormat2Data with no recorder
    When I call getSupportedWriteSpeeds
    Then it fails with E_IMAPI_RECORDER_REQUIRED (0xC0AA0003)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive answers GET PERFORMANCE with "<condition>"
    Given the drive will report "<condition>" on the next GET PERFORMANCE command
    When I call getSupportedWriteSpeeds
    Then it fails with <hresult> (<value>)

    Examples:
      | condition        | hresult                                       | value      |
      | hardware error   | E_FAIL                                        | 0x80004005 |
      | device gone      | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |
      | invalid response | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult       | value      | why                                                                          |
      | E_POINTER     | 0x80004003 | the list is the promise's value; there is no out pointer                     |
      | E_OUTOFMEMORY | 0x8007000E | an allocation failure in Node ends the process instead of returning an error |
