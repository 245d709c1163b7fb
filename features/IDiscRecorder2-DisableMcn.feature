@method:IDiscRecorder2.DisableMcn
Feature: IDiscRecorder2::DisableMcn
  Disables Media Change Notification (MCN) for the device. DisableMcn adds one to a reference count
  and EnableMcn takes one away; notifications are on only at zero. In this SDK MCN is the recorder
  object's own watch of the drive (06/28 unit attentions on any command, GET EVENT STATUS
  NOTIFICATION polling), raised as the `mediaChanged` event; DisableMcn sends nothing to the drive.

  Background:
    Given a drive with any disc
    And client "A" opens the recorder

  Scenario: S_OK — a disc change while MCN is disabled raises no notification
    When client "A" calls disableMcn
    Then it succeeds
    And client "A" reports media change notification disabled
    Given the disc in the drive is taken out and put back
    When client "A" sends a command to the drive
    Then client "A" has raised 0 media change notifications

  Scenario: with MCN enabled (the default) the same disc change raises one notification
    Given the disc in the drive is taken out and put back
    When client "A" sends a command to the drive
    Then client "A" has raised 1 media change notification

  Scenario: the reference count — disabled twice, MCN comes back only after two EnableMcn calls
    When client "A" calls disableMcn
    And client "A" calls disableMcn
    And client "A" calls enableMcn
    Then client "A" reports media change notification disabled
    When client "A" calls enableMcn
    Then client "A" reports media change notification enabled

  Scenario: MCN is per recorder object: another client (a new process after a crash) starts with it enabled
    When client "A" calls disableMcn
    And client "B" opens the recorder
    Then client "B" reports media change notification enabled

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given client "A" closes the recorder
    When client "A" calls disableMcn
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                 | value      | why                                                                            |
      | E_FAIL                                  | 0x80004005 | disableMcn sends no command, so nothing can fail for an unspecified reason     |
      | E_OUTOFMEMORY                           | 0x8007000E | an allocation failure in Node ends the process instead of returning an error   |
      | E_IMAPI_RECORDER_COMMAND_TIMEOUT        | 0xC0AA020D | disableMcn sends no command that could time out                                |
      | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) | 0x80070037 | disableMcn sends no command; a device that went away fails the next one        |
      | E_IMAPI_RECORDER_LOCKED                 | 0xC0AA0210 | disableMcn sends no command that a reservation could refuse                    |
