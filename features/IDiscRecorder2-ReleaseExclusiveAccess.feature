@method:IDiscRecorder2.ReleaseExclusiveAccess
Feature: IDiscRecorder2::ReleaseExclusiveAccess
  Releases exclusive access to the device. Each recorder has a lock count: every
  AcquireExclusiveAccess adds one, every ReleaseExclusiveAccess takes one away, and the device is
  free for other clients only when the count reaches zero. The lock lives at the device, so it holds
  across clients (processes, hosts), and a client that dies does not keep the drive locked. The
  owner is named by its client name, read from the device (PERSISTENT RESERVE IN).

  Background:
    Given a drive with any disc
    And client "A" opens the recorder
    And client "B" opens the recorder

  Scenario: S_OK — acquire once, release once, the device is free again
    When client "A" acquires exclusive access as "Burner A"
    And client "A" releases exclusive access
    Then it succeeds
    And client "B" can acquire exclusive access as "Burner B"

  Scenario Outline: the lock count — acquire <n> times, the device is free only after <n> releases
    When client "A" acquires exclusive access as "Burner A" <n> times
    And client "A" releases exclusive access <m> times
    Then client "B" acquiring exclusive access as "Burner B" fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "B" sees client "A" as the exclusive access owner
    When client "A" releases exclusive access 1 times
    Then client "B" can acquire exclusive access as "Burner B"

    Examples:
      | n | m |
      | 1 | 0 |
      | 2 | 1 |
      | 3 | 2 |

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device
    Given client "B" acquires exclusive access as "Burner B"
    When client "A" releases exclusive access
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "B" still holds exclusive access

  Scenario: releasing with no lock held does not free another client's lock
    Given client "B" acquires exclusive access as "Burner B"
    When client "A" acquires exclusive access as "Burner A"
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "B" still holds exclusive access

  Scenario: a client process that dies while holding the lock does not keep the drive locked
    Given a separate process "C" holds exclusive access as "Burner C"
    Then client "B" acquiring exclusive access as "Burner B" fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    And client "B" sees process "C" as the exclusive access owner
    When process "C" is killed
    Then client "B" can acquire exclusive access as "Burner B"

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given client "A" acquires exclusive access as "Burner A"
    And client "A" closes the recorder
    When client "A" releases exclusive access
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario: HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037) — the device went away
    Given client "A" acquires exclusive access as "Burner A"
    And the drive will report "device gone" on the next command
    When client "A" releases exclusive access
    Then it fails with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037)

  @fault @timeout
  Scenario: E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D) — the device does not answer the release
    Given client "A" acquires exclusive access as "Burner A"
    And the drive will report "command timeout" on the next command
    When client "A" releases exclusive access
    Then it fails with E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D)

  @fault
  Scenario: E_FAIL (0x80004005) — the device rejects the release for an unspecified reason
    Given client "A" acquires exclusive access as "Burner A"
    And the drive will report "hardware error" on the next command
    When client "A" releases exclusive access
    Then it fails with E_FAIL (0x80004005)

  @not-reachable
  Scenario: E_OUTOFMEMORY (0x8007000E) — cannot happen in this API
    # Node allocates nothing on the release path that can fail short of the process dying; the row is
    # kept visible so the matrix shows it, and the scenario documents why it cannot be driven.
    Then the row E_OUTOFMEMORY (0x8007000E) is documented as not reachable from the TypeScript API
