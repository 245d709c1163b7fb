@method:IDiscRecorder2.InitializeDiscRecorder
Feature: IDiscRecorder2::InitializeDiscRecorder
  Associates the recorder object with the disc device named by its unique id (DiscMaster2 lists
  them: here an iscsi:// URL). It must come before the object's other methods. It does not fail on a
  drive that another client holds exclusively; later calls that touch the drive then return
  E_IMAPI_RECORDER_LOCKED, and ExclusiveAccessOwner names the holder. The SDK opens the transport and
  identifies the device with INQUIRY, the one command it sends.

  Background:
    Given a drive with any disc
    And a recorder object "X" that is not initialized

  Scenario: S_OK — the recorder is associated with the drive and identifies it
    When recorder "X" is initialized with the drive's unique id
    Then it succeeds
    When client "X" reads activeDiscRecorder
    Then it succeeds with the unique id of the drive
    When client "X" reads vendorId
    Then it succeeds with a string of 1 to 8 characters

  Scenario: S_OK — a drive another client holds exclusively: initializing succeeds, drive commands are refused
    Given client "B" opens the recorder
    And client "B" acquires exclusive access as "Burner B"
    When recorder "X" is initialized with the drive's unique id
    Then it succeeds
    And client "X" sees client "B" as the exclusive access owner
    When client "X" calls ejectMedia
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario Outline: E_INVALIDARG (0x80070057) — the unique id is <what>: bad arguments throw TypeError naming the parameter
    # The project's convention for arguments of the wrong shape (STYLE.md): a TypeError that names the
    # parameter, where COM returns E_INVALIDARG. The table's STRSAFE_E_INVALID_PARAMETER (a C string
    # buffer of a bad size) has the same value, 0x80070057; there is no such buffer in this API.
    When recorder "X" is initialized with the unique id <id>
    Then it throws a TypeError naming uniqueId

    Examples:
      | what         | id |
      | empty        | "" |
      | not a string | 42 |

  Scenario: a recorder object is initialized once: a second initialize throws TypeError
    Given recorder "X" is initialized with the drive's unique id
    When recorder "X" is initialized with the drive's unique id
    Then it throws a TypeError naming initialized

  Scenario: HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037) — nothing serves the unique id
    When recorder "X" is initialized with the unique id of a target nobody serves
    Then it fails with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive answers INQUIRY with "<condition>"
    Given the drive will report "<condition>" on the next INQUIRY command
    When recorder "X" is initialized with the drive's unique id
    Then it fails with <hresult> (<value>)

    Examples:
      | condition        | hresult                                       | value      |
      | hardware error   | E_FAIL                                        | 0x80004005 |
      | invalid response | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone      | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition        | hresult                                       | value      |
      | command timeout  | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                   | value      | why                                                                                                  |
      | E_OUTOFMEMORY                             | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                         |
      | HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)  | 0x80070006 | initializing is what makes the handle; a second initialize throws TypeError (asserted above)         |
      | E_IMAPI_RECORDER_LOCKED                   | 0xC0AA0210 | by the remarks it does not fail on a locked drive: INQUIRY is answered to every client (asserted above) |
      | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN        | 0xC0AA0204 | it sends only INQUIRY, which a drive answers whatever the medium (SPC-4: no medium conditions)        |
      | E_IMAPI_RECORDER_MEDIA_BECOMING_READY     | 0xC0AA0205 | it sends only INQUIRY, which a drive answers whatever the medium (SPC-4: no readiness conditions)    |
      | E_IMAPI_RECORDER_MEDIA_NO_MEDIA           | 0xC0AA0202 | it sends only INQUIRY, which a drive answers whatever the medium                                     |
      | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS | 0xC0AA0206 | it sends only INQUIRY, which a drive answers whatever the medium                                     |
      | E_IMAPI_RECORDER_MEDIA_BUSY               | 0xC0AA0207 | it sends only INQUIRY, which a drive answers whatever the medium                                     |
      | E_IMAPI_LOSS_OF_STREAMING                 | 0xC0AA0300 | it writes nothing                                                                                    |
      | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE       | 0xC0AA0203 | it sends only INQUIRY, which a drive answers whatever the medium                                     |
      | E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT | 0xC0AA020E | only READ DISC STRUCTURE reports it, and it is not sent                                             |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE        | 0xC0AA0201 | only MODE SENSE reports it, and it is not sent                                                       |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS  | 0xC0AA0208 | only MODE SELECT reports it, and it is not sent                                                      |
      | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED    | 0xC0AA0209 | it writes nothing                                                                                    |
      | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH     | 0xC0AA020F | only SET CD SPEED / SET STREAMING report it, and neither is sent                                     |
