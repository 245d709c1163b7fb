@method:IDiscFormat2TrackAtOnce.ReleaseMedia
Feature: IDiscFormat2TrackAtOnce::ReleaseMedia
  Closes the track-writing session and releases the lock PrepareMedia set. It must be called after
  the tracks are written and after CancelAddTrack. The session is closed (CLOSE SESSION) when tracks
  were added: finalized, or left open for another session when DoNotFinalizeMedia is set; then the
  tray is unlocked, MCN resumed and exclusive access released — even when closing the session fails.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the session is closed and finalized; the device is free again
    Given the media is prepared and holds 2 audio tracks of 4 seconds
    When I release the media
    Then it succeeds
    And the disc is finalized
    And the tray is unlocked
    And media change notification is enabled on the recorder
    And another client can acquire exclusive access

  Scenario: S_OK — with doNotFinalizeMedia the session is closed and the disc left appendable
    Given I set doNotFinalizeMedia to true
    And the media is prepared and holds 1 audio tracks of 4 seconds
    When I release the media
    Then it succeeds
    And the disc is appendable

  Scenario: S_OK — released without a track: nothing is written, the disc stays blank
    Given the media is prepared
    When I release the media
    Then it succeeds
    And the disc is blank
    And another client can acquire exclusive access

  Scenario: S_OK — after CancelAddTrack, ReleaseMedia closes the session with the part of the track written
    Given the media is prepared
    When I add an audio track of 20 seconds and call cancelAddTrack from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)
    When I release the media
    Then it succeeds
    And the disc holds 1 tracks
    And track 1 is shorter than its 20-second stream
    And another client can acquire exclusive access

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502) — release without prepare
    When I release the media
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502) — release twice
    Given the media is prepared
    And I release the media
    When I release the media
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)

  Scenario: E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500) — release from the Update handler
    Given the media is prepared
    When I add an audio track of 10 seconds and call releaseMedia from the Update handler
    Then releaseMedia failed with E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500)
    And it succeeds
    And the tray is locked

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    And the recorder is closed
    When I release the media
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" when the session is closed; the lock is released anyway
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    And the drive will report "<condition>" on the next CLOSE TRACK SESSION command
    When I release the media
    Then it fails with <hresult> (<value>)
    And another client can acquire exclusive access

    Examples:
      | condition              | hresult                                   | value      |
      | hardware error         | E_FAIL                                    | 0x80004005 |
      | reservation conflict   | E_IMAPI_RECORDER_LOCKED                   | 0xC0AA0210 |
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
      | hresult                                       | value      | why                                                                                                             |
      | E_IMAPI_DF2TAO_MEDIA_IS_PREPARED              | 0xC0AA0503 | releaseMedia is the call that ends the prepared state; unprepared media is MEDIA_IS_NOT_PREPARED (asserted above) |
      | E_INVALIDARG                                  | 0x80070057 | releaseMedia takes no arguments                                                                                 |
      | E_POINTER                                     | 0x80004003 | releaseMedia takes no pointers and returns nothing                                                              |
      | E_OUTOFMEMORY                                 | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                                    |
      | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF | CLOSE TRACK/SESSION, PREVENT ALLOW and PERSISTENT RESERVE OUT return no data that could be malformed            |
      | E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT    | 0xC0AA020E | only READ DISC STRUCTURE reports it, and releaseMedia does not send it                                          |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 | only MODE SENSE reports it, and releaseMedia does not send it                                                   |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 | only MODE SELECT reports it, and releaseMedia does not send it                                                  |
      | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F | only SET CD SPEED / SET STREAMING report it, and releaseMedia sends neither                                     |
