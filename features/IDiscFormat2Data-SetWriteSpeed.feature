@method:IDiscFormat2Data.SetWriteSpeed
Feature: IDiscFormat2Data::SetWriteSpeed
  Sets the write speed (sectors per second; -1 = the fastest) and the rotation control of the recorder.
  A drive that cannot do the speed uses the closest it can, which CurrentWriteSpeed reports.
  SetWriteSpeed identifies the media and sends the request at once: SET CD SPEED on CD, SET STREAMING
  (one performance descriptor) on DVD and BD; the drive's answers are its return value, driven so
  here. Every write sends the requested speed again.
  DVD speeds count 2048-byte sectors: 8x DVD is 11 080 kB/s, 5 410 sectors per second.

  Background:
    Given a drive with a blank DVD+R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the default is the fastest speed, without pure CAV
    Then requestedWriteSpeed is -1
    And requestedRotationTypeIsPureCAV is false

  Scenario: S_OK — 8x DVD (5410 sectors per second) is requested, sent with SET STREAMING and used
    When I call setWriteSpeed with arguments 5410, false
    Then it succeeds
    And the drive writes at 8x
    When I call write with a data image of 100 sectors
    Then it succeeds
    And the drive writes at 8x
    And currentWriteSpeed is 5410

  Scenario: S_OK — on CD-R the speed goes with SET CD SPEED: 16x is 1200 sectors per second
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When I call setWriteSpeed with arguments 1200, false
    And I call write with a data image of 100 sectors
    Then it succeeds
    And the drive writes at 16x
    And currentWriteSpeed is 1200

  Scenario: S_OK — a speed the media cannot do: the drive uses another, and currentWriteSpeed says which
    When I call setWriteSpeed with arguments 3000, false
    And I call write with a data image of 100 sectors
    Then it succeeds
    And currentWriteSpeed is the speed the drive writes at
    And currentWriteSpeed is not 3000

  Scenario: S_OK — -1 asks for the fastest: the DVD+R's 16x
    When I call setWriteSpeed with arguments -1, false
    And I call write with a data image of 100 sectors
    Then it succeeds
    And the drive writes at 16x

  Scenario Outline: E_INVALIDARG (0x80070057) — <what>
    When I call setWriteSpeed with arguments <speed>, false
    Then it fails with E_INVALIDARG (0x80070057)
    And requestedWriteSpeed is -1

    Examples:
      | what                               | speed  |
      | a negative speed other than -1     | -2     |
      | a speed that is not a whole number | 0.5    |
      | a speed that is not a number       | "fast" |

  Scenario: E_IMAPI_RECORDER_REQUIRED (0xC0AA0003) — no recorder
    Given a DiscFormat2Data with no recorder
    When I call setWriteSpeed with arguments 5410, false
    Then it fails with E_IMAPI_RECORDER_REQUIRED (0xC0AA0003)
    And requestedWriteSpeed is -1

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call setWriteSpeed with arguments 5410, false
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)
    And requestedWriteSpeed is -1

  @fault
  Scenario Outline: <hresult> (<value>) — the drive answers the requested speed (SET STREAMING) with "<condition>"
    Given the drive will report "<condition>" on the next SET STREAMING command
    When I call setWriteSpeed with arguments 5410, false
    Then it fails with <hresult> (<value>)
    And requestedWriteSpeed is -1
    And another client can acquire exclusive access

    Examples:
      | condition                 | hresult                                   | value      |
      | speed mismatch            | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH     | 0xC0AA020F |
      | hardware error            | E_FAIL                                    | 0x80004005 |
      | invalid address for write | E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE   | 0xC0AA0301 |
      | no media                  | E_IMAPI_RECORDER_MEDIA_NO_MEDIA           | 0xC0AA0202 |
      | becoming ready            | E_IMAPI_RECORDER_MEDIA_BECOMING_READY     | 0xC0AA0205 |
      | format in progress        | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS | 0xC0AA0206 |
      | long write in progress    | E_IMAPI_RECORDER_MEDIA_BUSY               | 0xC0AA0207 |
      | upside down               | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN        | 0xC0AA0204 |
      | incompatible medium       | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE       | 0xC0AA0203 |
      | write protected           | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED    | 0xC0AA0209 |
      | loss of streaming         | E_IMAPI_LOSS_OF_STREAMING                 | 0xC0AA0300 |
      | reservation conflict      | E_IMAPI_RECORDER_LOCKED                   | 0xC0AA0210 |
      | device gone               | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)   | 0x80070037 |

    @timeout
    Examples:
      | condition                 | hresult                                   | value      |
      | command timeout           | E_IMAPI_RECORDER_COMMAND_TIMEOUT          | 0xC0AA020D |

  @fault
  Scenario: E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF) — the disc information read to know the media is malformed
    Given the drive will report "invalid response" on the next READ DISC INFORMATION command
    When I call setWriteSpeed with arguments 5410, false
    Then it fails with E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF)

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — the DVD's physical format information is refused
    Given the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    When I call setWriteSpeed with arguments 5410, false
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                       | value      | why                                                                                    |
      | E_POINTER                                     | 0x80004003 | setWriteSpeed takes numbers and a boolean; there is no pointer                         |
      | E_OUTOFMEMORY                                 | 0x8007000E | an allocation failure in Node ends the process instead of returning an error           |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 | the speed the drive selected is read from mode page 2Ah when the drive has it; without it currentWriteSpeed is the requested speed |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 | only MODE SELECT reports it; the speed is sent with SET STREAMING / SET CD SPEED        |
      | S_IMAPI_SPEEDADJUSTED                         | 0x00AA0004 | success has no value; an adjusted speed shows in currentWriteSpeed (asserted above)    |
      | S_IMAPI_ROTATIONADJUSTED                      | 0x00AA0005 | success has no value; the rotation used shows in currentRotationTypeIsPureCAV          |
      | S_IMAPI_BOTHADJUSTED                          | 0x00AA0006 | success has no value; both show in the current* properties                             |
