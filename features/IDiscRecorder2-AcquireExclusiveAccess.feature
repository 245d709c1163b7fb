@method:IDiscRecorder2.AcquireExclusiveAccess
Feature: IDiscRecorder2::AcquireExclusiveAccess
  Acquires exclusive access to the device. Each call adds one to the recorder's lock count; the first
  locks the device, so other clients are refused until the count is back to zero. The client name
  cannot be empty. Write operations such as DiscFormat2Data::Write take the lock themselves. A client
  that ends unexpectedly while holding the lock does not keep it. The lock lives at the device (a
  SCSI persistent reservation), so it holds across processes and hosts.

  Background:
    Given a drive with any disc
    And client "A" opens the recorder
    And client "B" opens the recorder

  Scenario: S_OK — the first acquire locks the device; another client is refused and sees the owner
    When client "A" acquires exclusive access as "Burner A"
    Then it succeeds
    And client "B" acquiring exclusive access as "Burner B" fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "B" sees client "A" as the exclusive access owner

  Scenario Outline: each acquire adds one to the lock count (<n> acquires → count <n>)
    When client "A" acquires exclusive access as "Burner A" <n> times
    Then it succeeds
    And client "A" holds <n> locks
    And client "B" acquiring exclusive access as "Burner B" fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

    Examples:
      | n |
      | 1 |
      | 2 |
      | 5 |

  Scenario: a write operation takes the lock itself: another client is refused while DiscFormat2Data writes
    Given a drive with a blank CD-R
    Given a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When client "B" tries to acquire exclusive access while I write a data image of 1024 sectors
    Then it succeeds
    And the attempt of client "B" failed with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "B" can acquire exclusive access as "Burner B"

  Scenario: a client process that ends while holding the lock does not keep it
    Given a separate process "C" holds exclusive access as "Burner C"
    When process "C" is killed
    Then client "A" can acquire exclusive access as "Burner A"

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device
    Given client "B" acquires exclusive access as "Burner B"
    When client "A" acquires exclusive access as "Burner A"
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "A" holds 0 locks
    And client "B" still holds exclusive access

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — force does not take the lock from another client
    # force is about dismounting a host file system volume; a drive reached over SCSI has none here, so
    # it never preempts another client's reservation.
    Given client "B" acquires exclusive access as "Burner B"
    When client "A" calls acquireExclusiveAccess with arguments true, "Burner A"
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario Outline: E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID (0xC0AA0211) — the client name is <what>
    When client "A" calls acquireExclusiveAccess with arguments false, <name>
    Then it fails with E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID (0xC0AA0211)
    And client "A" holds 0 locks

    Examples:
      | what                       | name         |
      | empty                      | ""           |
      | only spaces                | "   "        |
      | holding a control character | "bad\u0007" |
      | not a string               | 42           |

  @not-reachable
  Scenario: E_INVALIDARG (0x80070057) — cannot happen in this API: a bad client name has its own code
    # The table's E_INVALIDARG is for a NULL or empty name. The SDK answers those (and a name that is
    # not a string) with the specific E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID, asserted above, and
    # `force` takes any value (it is read as a boolean).
    Then the row E_INVALIDARG (0x80070057) is documented as not reachable from the TypeScript API

  @not-reachable
  Scenario: E_ACCESS_DENIED (0x80070005) — cannot happen in this API: another holder is E_IMAPI_RECORDER_LOCKED
    # E_ACCESS_DENIED is the host saying the device node is open by another application. The SDK's lock
    # is a reservation at the device; a device held by another client answers RESERVATION CONFLICT,
    # which is E_IMAPI_RECORDER_LOCKED (asserted above).
    Then the row E_ACCESS_DENIED (0x80070005) is documented as not reachable from the TypeScript API

  @fault
  Scenario: E_FAIL (0x80004005) — the drive fails the reservation with a hardware error
    Given the drive will report "hardware error" on the next PERSISTENT RESERVE OUT command
    When client "A" acquires exclusive access as "Burner A"
    Then it fails with E_FAIL (0x80004005)
    And client "A" holds 0 locks
    And client "B" can acquire exclusive access as "Burner B"

  @fault @timeout
  Scenario: E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D) — the device does not answer the reservation
    Given the drive will report "command timeout" on the next PERSISTENT RESERVE OUT command
    When client "A" acquires exclusive access as "Burner A"
    Then it fails with E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D)
    And client "A" holds 0 locks

  @fault
  Scenario: HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037) — the device went away
    Given the drive will report "device gone" on the next PERSISTENT RESERVE OUT command
    When client "A" acquires exclusive access as "Burner A"
    Then it fails with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given client "A" closes the recorder
    When client "A" acquires exclusive access as "Burner A"
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @not-reachable
  Scenario: E_OUTOFMEMORY (0x8007000E) — cannot happen in this API
    # Acquiring allocates a few bytes of CDB and parameter list; an allocation failure in Node ends the
    # process rather than returning an error.
    Then the row E_OUTOFMEMORY (0x8007000E) is documented as not reachable from the TypeScript API
