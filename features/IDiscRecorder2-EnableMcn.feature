@method:IDiscRecorder2.EnableMcn
Feature: IDiscRecorder2::EnableMcn
  Enables Media Change Notification (MCN) for the device: takes one from the reference count that
  DisableMcn adds to; notifications are on again at zero. A format object that prepared media holds
  MCN off until it releases the media, whatever EnableMcn the application calls meanwhile.

  Background:
    Given a drive with any disc
    And client "A" opens the recorder

  Scenario: S_OK — after DisableMcn, EnableMcn turns notifications back on
    Given client "A" calls disableMcn
    When client "A" calls enableMcn
    Then it succeeds
    And client "A" reports media change notification enabled
    Given the disc in the drive is taken out and put back
    When client "A" sends a command to the drive
    Then client "A" has raised 1 media change notification

  Scenario: S_OK — EnableMcn with MCN already on leaves the count at zero
    When client "A" calls enableMcn
    Then it succeeds
    And client "A" calls disableMcn
    And client "A" reports media change notification disabled

  Scenario: EnableMcn does not turn MCN on while a format object holds the media prepared
    Given a drive with a blank CD-R
    Given a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"
    And the media is prepared
    When I call enableMcn on the recorder
    Then media change notification is disabled on the recorder
    When I release the media
    Then media change notification is enabled on the recorder

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given client "A" closes the recorder
    When client "A" calls enableMcn
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                 | value      | why                                                                            |
      | E_FAIL                                  | 0x80004005 | enableMcn sends no command, so nothing can fail for an unspecified reason      |
      | E_OUTOFMEMORY                           | 0x8007000E | an allocation failure in Node ends the process instead of returning an error   |
      | E_IMAPI_RECORDER_COMMAND_TIMEOUT        | 0xC0AA020D | enableMcn sends no command that could time out                                 |
      | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) | 0x80070037 | enableMcn sends no command; a device that went away fails the next one         |
      | E_IMAPI_RECORDER_LOCKED                 | 0xC0AA0210 | enableMcn sends no command that a reservation could refuse                     |
