@method:IDiscFormat2TrackAtOnce.Properties
Feature: IDiscFormat2TrackAtOnce media properties
  NumberOfExistingTracks, TotalSectorsOnMedia, FreeSectorsOnMedia, UsedSectorsOnMedia and
  CurrentPhysicalMediaType describe the media of the track-writing session: valid while the media is
  prepared (E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED otherwise), and they follow the tracks added.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — prepared blank CD-R: no tracks, nothing used, all free
    Given the media is prepared
    Then numberOfExistingTracks is 0
    And usedSectorsOnMedia is 0
    And the free sectors of the session equal its total sectors
    And currentPhysicalMediaType is 2

  Scenario: S_OK — a track adds one to the count and moves sectors from free to used
    Given the media is prepared
    And I remember the session's free sectors
    When I add an audio track of 4 seconds
    Then numberOfExistingTracks is 1
    And the session's free sectors shrank by at least 300
    And usedSectorsOnMedia is not 0

  Scenario: S_OK — CD-RW media is physical type 3
    Given a drive with a blank CD-RW
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"
    And the media is prepared
    Then currentPhysicalMediaType is 3

  Scenario Outline: E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502) — <property> before prepareMedia
    When I read <property>
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)

    Examples:
      | property               |
      | numberOfExistingTracks |
      | totalSectorsOnMedia    |
      | freeSectorsOnMedia     |
      | usedSectorsOnMedia     |

  @not-reachable
  Scenario: E_POINTER (0x80004003) — cannot happen in this API: values are returned, there is no out pointer
    Then the row E_POINTER (0x80004003) is documented as not reachable from the TypeScript API
