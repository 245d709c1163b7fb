@method:IDiscRecorder2.ExclusiveAccessOwner
Feature: IDiscRecorder2::get_ExclusiveAccessOwner
  The name of the client that holds exclusive access, to query after a call failed with
  E_IMAPI_RECORDER_LOCKED: the client name it acquired with. The lock is a SCSI reservation, so the
  name is read from the device (PERSISTENT RESERVE IN, READ FULL STATUS), where the holder leaves it as
  a second registration under its key whose InitiatorName carries the name. An SPC-2 RESERVE(6)
  carries no name; its holder reads as "(SPC-2 reservation held by another initiator)".

  Background:
    Given a drive with any disc
    And client "A" opens the recorder
    And client "B" opens the recorder

  Scenario: S_OK — nobody holds the drive: the owner is empty
    When client "B" reads getExclusiveAccessOwner
    Then it succeeds with ""

  Scenario: S_OK — the holder is named, to this client and to others
    Given client "A" acquires exclusive access as "Burner A"
    Then client "B" sees client "A" as the exclusive access owner
    And client "A" sees client "A" as the exclusive access owner

  Scenario: S_OK — the client name comes back exactly, letters of any script included
    Given client "A" acquires exclusive access as "Grabación — 光盘 2"
    Then client "B" sees client "A" as the exclusive access owner

  Scenario: S_OK — after the holder releases, the owner is empty again
    Given client "A" acquires exclusive access as "Burner A"
    And client "A" releases exclusive access
    When client "B" reads getExclusiveAccessOwner
    Then it succeeds with ""

  Scenario: S_OK — an SPC-2 reservation of another client is reported as such
    # RESERVE(6) sent through the pass-through (CDB 16h), as an older tool would.
    Given client "A" sends the CDB [22, 0, 0, 0, 0, 0] through the pass-through
    When client "B" reads getExclusiveAccessOwner
    Then it succeeds with "(SPC-2 reservation held by another initiator)"

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given client "B" closes the recorder
    When client "B" reads getExclusiveAccessOwner
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive answers PERSISTENT RESERVE IN with "<condition>"
    Given client "A" acquires exclusive access as "Burner A"
    And the drive will report "<condition>" on the next PERSISTENT RESERVE IN command
    When client "B" reads getExclusiveAccessOwner
    Then it fails with <hresult> (<value>)

    Examples:
      | condition        | hresult                                       | value      |
      | hardware error   | E_FAIL                                        | 0x80004005 |
      | device gone      | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |
      | invalid response | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |

    @timeout
    Examples:
      | condition        | hresult                                       | value      |
      | command timeout  | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                 | value      | why                                                                                                        |
      | E_POINTER               | 0x80004003 | the name is the promise's value; there is no out pointer                                                   |
      | E_OUTOFMEMORY           | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                               |
      | E_IMAPI_RECORDER_LOCKED | 0xC0AA0210 | a conflict on PERSISTENT RESERVE IN means an SPC-2 reservation, reported as its owner (asserted above)    |
