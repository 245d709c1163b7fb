@method:IDiscRecorder2.EjectMedia
Feature: IDiscRecorder2::EjectMedia
  Ejects media from the device: PREVENT ALLOW MEDIUM REMOVAL (allow), then START STOP UNIT with LoEj.
  The drive answers both; what it reports becomes the HRESULT of the call.

  Background:
    Given a drive with any disc
    And client "A" opens the recorder
    And client "B" opens the recorder

  Scenario: S_OK — the tray opens
    When client "A" calls ejectMedia
    Then it succeeds
    And the drive tells client "B" the tray is open

  Scenario: S_OK — a tray this client locked (PREVENT) is unlocked and opened
    Given client "A" sends the CDB [30, 0, 0, 0, 1, 0] through the pass-through
    When client "A" calls ejectMedia
    Then it succeeds
    And the drive tells client "A" the tray is open

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds exclusive access
    Given client "B" acquires exclusive access as "Burner B"
    When client "A" calls ejectMedia
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And the drive tells client "B" it is ready

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — a format object of this recorder has the media prepared
    # PrepareMedia "locks the current media for exclusive access" until ReleaseMedia "releases the lock":
    # ejectMedia does not undo the format's lock (no ALLOW, no START STOP UNIT is sent); the table's
    # code for a locked device is returned until the media is released.
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"
    And the media is prepared
    When I call ejectMedia on the recorder
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And the tray is locked
    When I release the media
    And I call ejectMedia on the recorder
    Then it succeeds
    And the drive tells client "B" the tray is open

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given client "A" closes the recorder
    When client "A" calls ejectMedia
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to START STOP UNIT
    Given the drive will report "<condition>" on the next START STOP UNIT command
    When client "A" calls ejectMedia
    Then it fails with <hresult> (<value>)

    Examples:
      | condition              | hresult                                   | value      |
      | hardware error         | E_FAIL                                    | 0x80004005 |
      | no media               | E_IMAPI_RECORDER_MEDIA_NO_MEDIA           | 0xC0AA0202 |
      | becoming ready         | E_IMAPI_RECORDER_MEDIA_BECOMING_READY     | 0xC0AA0205 |
      | format in progress     | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS | 0xC0AA0206 |
      | long write in progress | E_IMAPI_RECORDER_MEDIA_BUSY               | 0xC0AA0207 |
      | upside down            | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN        | 0xC0AA0204 |
      | incompatible medium    | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE       | 0xC0AA0203 |
      | write protected        | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED    | 0xC0AA0209 |
      | loss of streaming      | E_IMAPI_LOSS_OF_STREAMING                 | 0xC0AA0300 |
      | device gone            | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)   | 0x80070037 |

    @timeout
    Examples:
      | condition              | hresult                                   | value      |
      | command timeout        | E_IMAPI_RECORDER_COMMAND_TIMEOUT          | 0xC0AA020D |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                       | value      | why                                                                                 |
      | E_INVALIDARG                                  | 0x80070057 | ejectMedia takes no arguments                                                       |
      | E_POINTER                                     | 0x80004003 | ejectMedia takes no pointers and returns nothing                                    |
      | E_OUTOFMEMORY                                 | 0x8007000E | an allocation failure in Node ends the process instead of returning an error        |
      | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF | neither command returns data that could be malformed                                |
      | E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT    | 0xC0AA020E | only READ DISC STRUCTURE reports it, and ejectMedia does not send it                |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 | only MODE SENSE reports it, and ejectMedia does not send it                         |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 | only MODE SELECT reports it, and ejectMedia does not send it                        |
      | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F | only SET CD SPEED / SET STREAMING report it, and ejectMedia sends neither           |
