@method:IDiscFormat2RawCD.SetWriteSpeed
Feature: IDiscFormat2RawCD::SetWriteSpeed
  Sets the write speed (sectors per second; -1 = the fastest the media allows) and the rotation
  control (pure CAV or not). A drive that cannot do the requested speed uses the closest one it can;
  CurrentWriteSpeed then reports the speed the drive uses, RequestedWriteSpeed what was asked.
  SetWriteSpeed sends the request at once (SET CD SPEED), and every write sends it again; the drive's
  answers are its return value, driven so here. Without prepared media it first checks what
  PrepareMedia would: the client name and a blank CD-R/RW in the drive.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"
    And the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds

  Scenario: S_OK — the default is the fastest speed, without pure CAV
    Then requestedWriteSpeed is -1
    And requestedRotationTypeIsPureCAV is false

  Scenario: S_OK — 24x (1800 sectors per second) is requested, sent and used by the drive
    When I call setWriteSpeed with arguments 1800, false
    Then it succeeds
    And requestedWriteSpeed is 1800
    When I call writeMedia with the image
    Then it succeeds
    And the drive writes at 24x
    And currentWriteSpeed is 1800
    And currentRotationTypeIsPureCAV is false

  Scenario: S_OK — -1 asks for the fastest: the drive writes at the media's top speed (48x)
    When I call setWriteSpeed with arguments -1, false
    And I call writeMedia with the image
    Then it succeeds
    And the drive writes at 48x

  Scenario: S_OK — a speed the media cannot do: the drive uses the closest it can, and currentWriteSpeed says which
    # 1000 sectors per second is 13.3x; the CD-R offers 48, 40, 32, 24, 16, 8 and 4x.
    When I call setWriteSpeed with arguments 1000, false
    And I call writeMedia with the image
    Then it succeeds
    And requestedWriteSpeed is 1000
    And currentWriteSpeed is the speed the drive writes at
    And currentWriteSpeed is not 1000

  Scenario: S_OK — pure CAV is requested
    When I call setWriteSpeed with arguments 1800, true
    Then requestedRotationTypeIsPureCAV is true

  Scenario Outline: E_INVALIDARG (0x80070057) — <what>
    When I call setWriteSpeed with arguments <speed>, false
    Then it fails with E_INVALIDARG (0x80070057)
    And requestedWriteSpeed is -1

    Examples:
      | what                                  | speed |
      | a negative speed other than -1        | -5    |
      | a speed that is not a whole number    | 1.5   |
      | a speed that is not a number          | "fast" |

  Scenario: S_OK — without prepared media the speed is sent for the blank CD-R in the drive
    When I release the media
    And I call setWriteSpeed with arguments 1800, false
    Then it succeeds
    And the drive writes at 24x
    And currentWriteSpeed is 1800

  Scenario: E_IMAPI_RECORDER_REQUIRED (0xC0AA0003) — no recorder
    Given a DiscFormat2RawCD with no recorder
    When I call setWriteSpeed with arguments 1800, false
    Then it fails with E_IMAPI_RECORDER_REQUIRED (0xC0AA0003)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call setWriteSpeed with arguments 1800, false
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)
    And requestedWriteSpeed is -1

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED (0xC0AA0607) — not prepared, and the disc in the drive is not a CD-R/RW
    When I release the media
    And a drive with a pressed DVD-ROM
    And I call setWriteSpeed with arguments 1800, false
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED (0xC0AA0607)
    And requestedWriteSpeed is -1

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606) — not prepared, and the CD-R holds a session
    When I release the media
    And the CD-R already holds a closed session
    And I call setWriteSpeed with arguments 1800, false
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606)

  Scenario: E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID (0xC0AA0604) — not prepared, and the client name is empty
    When I release the media
    And I set clientName to ""
    And I call setWriteSpeed with arguments 1800, false
    Then it fails with E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID (0xC0AA0604)

  @fault
  Scenario: E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF) — not prepared, and the disc information is malformed
    When I release the media
    And the drive will report "invalid response" on the next READ DISC INFORMATION command
    And I call setWriteSpeed with arguments 1800, false
    Then it fails with E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF)

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — not prepared, a DVD in the drive, its physical format information refused
    When I release the media
    And a drive with a blank DVD+R
    And the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    And I call setWriteSpeed with arguments 1800, false
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive answers the requested speed (SET CD SPEED) with "<condition>"
    Given the drive will report "<condition>" on the next SET CD SPEED command
    When I call setWriteSpeed with arguments 1800, false
    Then it fails with <hresult> (<value>)
    And requestedWriteSpeed is -1

    Examples:
      | condition              | hresult                                   | value      |
      | speed mismatch         | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH     | 0xC0AA020F |
      | hardware error         | E_FAIL                                    | 0x80004005 |
      | no media               | E_IMAPI_RECORDER_MEDIA_NO_MEDIA           | 0xC0AA0202 |
      | becoming ready         | E_IMAPI_RECORDER_MEDIA_BECOMING_READY     | 0xC0AA0205 |
      | format in progress     | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS | 0xC0AA0206 |
      | long write in progress | E_IMAPI_RECORDER_MEDIA_BUSY               | 0xC0AA0207 |
      | upside down            | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN        | 0xC0AA0204 |
      | incompatible medium    | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE       | 0xC0AA0203 |
      | write protected        | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED    | 0xC0AA0209 |
      | loss of streaming      | E_IMAPI_LOSS_OF_STREAMING                 | 0xC0AA0300 |
      | reservation conflict   | E_IMAPI_RECORDER_LOCKED                   | 0xC0AA0210 |
      | device gone            | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)   | 0x80070037 |

    @timeout
    Examples:
      | condition              | hresult                                   | value      |
      | command timeout        | E_IMAPI_RECORDER_COMMAND_TIMEOUT          | 0xC0AA020D |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                       | value      | why                                                                                          |
      | E_POINTER                                     | 0x80004003 | setWriteSpeed takes numbers and a boolean; there is no pointer                               |
      | E_OUTOFMEMORY                                 | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                 |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 | the speed the drive selected is read from mode page 2Ah when the drive has it; without it currentWriteSpeed is the requested speed |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 | only MODE SELECT reports it; the speed is sent with SET CD SPEED                             |
      | S_IMAPI_SPEEDADJUSTED                         | 0x00AA0004 | success has no value; an adjusted speed shows in currentWriteSpeed (asserted above)          |
      | S_IMAPI_ROTATIONADJUSTED                      | 0x00AA0005 | success has no value; the rotation used shows in currentRotationTypeIsPureCAV                |
      | S_IMAPI_BOTHADJUSTED                          | 0x00AA0006 | success has no value; both show in the current* properties                                   |
